import { register } from 'node:module';

/*
 * @actions/workflow-parser imports its schema JSON without an import attribute, which only bundlers accept: Node
 * (and so vitest, which loads node_modules natively) refuses it. This hook adds `type: 'json'` for that package's
 * JSON files only. (`server.deps.inline: ['@actions/workflow-parser']` in vitest.config.ts would also fix it.)
 */
const hook = `export async function load(url, context, nextLoad) {
  if (url.includes('/@actions/workflow-parser/') && url.endsWith('.json') && !context.importAttributes?.type) {
    return nextLoad(url, { ...context, importAttributes: { ...context.importAttributes, type: 'json' } });
  }
  return nextLoad(url, context);
}`;

type WorkflowParser = typeof import('@actions/workflow-parser');
type ActionParser = typeof import('@actions/workflow-parser/actions/index');

let loaded: Promise<{ workflows: WorkflowParser; actions: ActionParser }> | undefined;

function load() {
  loaded ??= (async () => {
    register(`data:text/javascript,${encodeURIComponent(hook)}`);
    const [workflows, actions] = await Promise.all([
      import('@actions/workflow-parser'),
      import('@actions/workflow-parser/actions/index'),
    ]);
    return { workflows, actions };
  })();
  return loaded;
}

/** Errors GitHub's own workflow parser reports, from schema parsing and from conversion to a workflow model. */
export async function workflowParserErrors(path: string, content: string): Promise<string[]> {
  const { workflows } = await load();
  const result = workflows.parseWorkflow({ name: path, content }, new workflows.NoOperationTraceWriter());
  const errors = () => result.context.errors.getErrors().map((e) => e.message);
  if (!result.value) return errors();
  const template = await workflows.convertWorkflowTemplate(result.context, result.value);
  return [...new Set([...errors(), ...(template.errors ?? []).map((e) => e.Message)])];
}

/** Errors GitHub's action-manifest parser reports for an action.yml (strict schema: branding values, runs.using…). */
export async function actionParserErrors(path: string, content: string): Promise<string[]> {
  const { actions, workflows } = await load();
  const result = actions.parseAction({ name: path, content }, new workflows.NoOperationTraceWriter());
  return result.context.errors.getErrors().map((e) => e.message);
}
