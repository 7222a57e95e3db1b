import { expandExpressions } from './expand-expressions.ts';
import type { GitHubState, RepoRecord } from './github-state.ts';
import type { WorkflowFile } from './parse-workflow.ts';
import { resolveRef } from './repo-tree.ts';

type LoadWorkflow = (repo: RepoRecord, path: string, sha: string) => Promise<WorkflowFile | undefined>;

/**
 * The concurrency group a dispatched run joins: the workflow's own `concurrency`, else that of a reusable workflow
 * one of its jobs calls (`uses: owner/repo/.github/workflows/x.yml@ref`, resolved among the local GitHub's
 * repositories, or `./.github/workflows/x.yml` at the run's commit), expanded with the `inputs` its `with:` passes.
 * A called workflow that is not here contributes nothing: a test that relies on its group creates its repository.
 */
export async function workflowConcurrency(
  state: GitHubState,
  load: LoadWorkflow,
  at: { repo: RepoRecord; sha: string },
  file: WorkflowFile,
  context: { inputs: Record<string, unknown>; github: Record<string, unknown> },
): Promise<{ group: string; cancelInProgress: boolean } | undefined> {
  const expand = (concurrency: NonNullable<WorkflowFile['concurrency']>, ctx: Record<string, unknown>) => ({
    group: expandExpressions(concurrency.group, ctx),
    cancelInProgress:
      typeof concurrency.cancelInProgress === 'boolean'
        ? concurrency.cancelInProgress
        : expandExpressions(concurrency.cancelInProgress, ctx) === 'true',
  });
  if (file.concurrency) return expand(file.concurrency, context);
  for (const call of file.calls) {
    const callee = await calledWorkflow(state, load, at, call.uses);
    if (!callee?.concurrency) continue;
    const inputs = Object.fromEntries(
      Object.entries(call.with).map(([k, v]) => [
        k,
        typeof v === 'string' ? expandExpressions(v, context) : v,
      ]),
    );
    return expand(callee.concurrency, { ...context, inputs });
  }
  return undefined;
}

async function calledWorkflow(
  state: GitHubState,
  load: LoadWorkflow,
  at: { repo: RepoRecord; sha: string },
  uses: string,
): Promise<WorkflowFile | undefined> {
  if (uses.startsWith('./')) return load(at.repo, uses.slice(2), at.sha);
  const match = /^([^/]+)\/([^/]+)\/(.+)@(.+)$/.exec(uses);
  if (!match) return undefined;
  const [, owner = '', name = '', path = '', ref = ''] = match;
  const repo = state.repo(owner, name);
  const target = repo && (await resolveRef(repo.git, ref));
  return repo && target ? load(repo, path, target.sha) : undefined;
}
