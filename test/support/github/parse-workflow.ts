import { parse } from 'yaml';

/** A `workflow_dispatch` input as declared in the workflow file. */
export interface DispatchInput {
  required: boolean;
  type: string;
  default?: unknown;
  options?: string[];
}

/** What the local GitHub reads from a workflow file: names and the dispatch trigger. */
export interface WorkflowFile {
  /** `name:`, else undefined (GitHub then shows the path). */
  name: string | undefined;
  /** `run-name:` before expansion. */
  runName: string | undefined;
  /** The `workflow_dispatch` inputs; undefined when the workflow has no such trigger. */
  dispatchInputs: Record<string, DispatchInput> | undefined;
  /** Workflow-level `concurrency:` (group and cancel-in-progress before expansion). */
  concurrency: { group: string; cancelInProgress: string | boolean } | undefined;
  /** Jobs that call a reusable workflow: `uses:` and their `with:` values, before expansion. */
  calls: { uses: string; with: Record<string, unknown> }[];
}

/** Parses a workflow file's YAML; throws a message naming the problem when it is not a workflow. */
export function parseWorkflow(text: string): WorkflowFile {
  const doc: unknown = parse(text);
  if (!isObject(doc)) throw new Error('the workflow is not a YAML mapping');
  const on = doc.on;
  const triggers = typeof on === 'string' ? [on] : Array.isArray(on) ? on.map(String) : undefined;
  let dispatchInputs: Record<string, DispatchInput> | undefined;
  if (triggers?.includes('workflow_dispatch')) dispatchInputs = {};
  if (isObject(on) && 'workflow_dispatch' in on) {
    const trigger = on.workflow_dispatch;
    const inputs = isObject(trigger) && isObject(trigger.inputs) ? trigger.inputs : {};
    dispatchInputs = Object.fromEntries(
      Object.entries(inputs).map(([key, spec]) => [key, toInput(isObject(spec) ? spec : {})]),
    );
  }
  const c = doc.concurrency;
  const concurrency =
    typeof c === 'string'
      ? { group: c, cancelInProgress: false }
      : isObject(c) && typeof c.group === 'string'
        ? {
            group: c.group,
            cancelInProgress:
              typeof c['cancel-in-progress'] === 'string' || typeof c['cancel-in-progress'] === 'boolean'
                ? c['cancel-in-progress']
                : false,
          }
        : undefined;
  const calls = Object.values(isObject(doc.jobs) ? doc.jobs : {})
    .filter((job): job is Record<string, unknown> => isObject(job) && typeof job.uses === 'string')
    .map((job) => ({ uses: String(job.uses), with: isObject(job.with) ? job.with : {} }));
  return {
    name: typeof doc.name === 'string' ? doc.name : undefined,
    runName: typeof doc['run-name'] === 'string' ? doc['run-name'] : undefined,
    dispatchInputs,
    concurrency,
    calls,
  };
}

function toInput(spec: Record<string, unknown>): DispatchInput {
  return {
    required: spec.required === true,
    type: typeof spec.type === 'string' ? spec.type : 'string',
    ...(spec.default === undefined ? {} : { default: spec.default }),
    ...(Array.isArray(spec.options) ? { options: spec.options.map(String) } : {}),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
