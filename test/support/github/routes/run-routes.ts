import type { RunRecord } from '../actions-state.ts';
import { buildWorkflow } from '../build-workflow-run.ts';
import type { RepoRecord } from '../github-state.ts';
import { runMatches } from '../match-run.ts';
import { paginate } from '../paginate.ts';
import { HttpError, notFound, type Reply } from '../reply.ts';
import type { RouteContext, Router } from '../router.ts';
import type { ActionsDeps } from './actions-deps.ts';
import { loadWorkflow, workflowPath } from './dispatch-route.ts';

/** Workflow runs: list (filtered, paginated), by workflow, one run, cancel; and one workflow. */
export function registerRunRoutes(router: Router, deps: ActionsDeps): void {
  const { actions, site } = deps;
  const list = (repo: RepoRecord, url: URL, runs: RunRecord[]): Reply => {
    let matching: RunRecord[];
    try {
      const lag = actions.listLag;
      let visible = runs;
      if (lag) {
        visible = runs.filter((run) => run.id <= lag.after);
        lag.lists -= 1;
        if (lag.lists <= 0) actions.listLag = undefined;
      }
      matching = visible.filter((run) => runMatches(run, url.searchParams));
    } catch (error) {
      throw new HttpError(422, `Invalid request.\n\n${(error as Error).message}`);
    }
    const { page, headers } = paginate(matching, url);
    return {
      status: 200,
      body: { total_count: matching.length, workflow_runs: page.map((run) => deps.renderRun(repo, run)) },
      headers,
    };
  };
  // A workflow named by file is known once its file exists on the default branch, even before its first run.
  const workflowOf = async ({ repo, params }: RouteContext) => {
    const path = workflowPath(deps, repo, params.workflow ?? '');
    const known = actions.workflows.find((w) => w.repo === repo.fullName && w.path === path);
    if (known) return known;
    const head = await repo.git.ref(`refs/heads/${repo.defaultBranch}`);
    const file = head && (await loadWorkflow(repo, path, head.sha));
    if (!file) throw notFound();
    return actions.workflow(repo, path, file.name ?? path);
  };
  const runOf = ({ repo, params }: RouteContext): RunRecord => {
    const run = actions.run(Number(params.id));
    if (!run || run.repo !== repo.fullName) throw notFound();
    return run;
  };

  router.add('GET', '/repos/:owner/:repo/actions/runs', ({ repo, url }) =>
    list(repo, url, actions.runsOf(repo)),
  );

  router.add('GET', '/repos/:owner/:repo/actions/workflows/:workflow/runs', async (ctx) => {
    const workflow = await workflowOf(ctx);
    return list(
      ctx.repo,
      ctx.url,
      actions.runsOf(ctx.repo).filter((run) => run.workflowId === workflow.id),
    );
  });

  router.add('GET', '/repos/:owner/:repo/actions/workflows/:workflow', async (ctx) => ({
    status: 200,
    body: buildWorkflow(ctx.repo, await workflowOf(ctx), site),
  }));

  router.add('GET', '/repos/:owner/:repo/actions/runs/:id', (ctx) => ({
    status: 200,
    body: deps.renderRun(ctx.repo, runOf(ctx)),
  }));

  // GitHub cancels asynchronously; here the run is cancelled at once, and `cancelRequested` tells the harness.
  router.add('POST', '/repos/:owner/:repo/actions/runs/:id/cancel', (ctx) => {
    const run = runOf(ctx);
    if (run.status === 'completed')
      throw new HttpError(409, 'Cannot cancel a workflow run that is completed.');
    run.cancelRequested = true;
    actions.updateRun(run.id, { status: 'completed', conclusion: 'cancelled' });
    return { status: 202, body: {} };
  });
}
