import { ActionsState, type RunConclusion, type RunStatus } from './actions-state.ts';
import type { RepositoryObject } from './build-repository.ts';
import { buildArtifact, buildWorkflowRun, type WorkflowRun } from './build-workflow-run.ts';
import type { RepoRecord } from './github-state.ts';
import type { Schema } from './github-types.ts';
import type { Router } from './router.ts';
import type { ActionsDeps, DispatchHook } from './routes/actions-deps.ts';
import { registerArtifactRoutes } from './routes/artifact-routes.ts';
import { registerDispatchRoute } from './routes/dispatch-route.ts';
import type { RouteDeps } from './routes/route-deps.ts';
import { registerRunRoutes } from './routes/run-routes.ts';
import { writeZip } from './write-zip.ts';

/** The Actions side of the local GitHub, as tests and the end-to-end harness drive it. */
export interface ActionsHarness {
  /** Workflows, runs and artifacts, to inspect (`actions.runs[i].inputs`) or drive. */
  actions: ActionsState;
  /** Calls `hook(run, inputs)` after every dispatch (not awaited); returns a function that removes it. */
  onDispatch(hook: DispatchHook): () => void;
  /** Errors thrown or rejected by dispatch hooks. */
  hookErrors: unknown[];
  /** A run as the API shows it. */
  run(id: number): WorkflowRun | undefined;
  /** Moves a run on, e.g. `{ status: 'in_progress' }`, then `{ status: 'completed', conclusion: 'success' }`. */
  updateRun(id: number, change: { status: RunStatus; conclusion?: RunConclusion | null }): WorkflowRun;
  /**
   * Uploads an artifact to a run: `files` (path → content) stored as a zip, kept `retentionDays` (upload-artifact's
   * `retention-days`; the repository's retention when omitted, and never longer).
   */
  addArtifact(
    runId: number,
    name: string,
    files: Readonly<Record<string, Buffer | string>>,
    options?: { retentionDays?: number },
  ): Schema<'artifact'>;
}

export interface ActionsConfig {
  returnsRunDetails: boolean;
  maxInputs: number;
  /** The repository's artifact retention in days (Settings → Actions → General; 90 by default). */
  artifactRetentionDays: number;
  repository(owner: string, repo: string): RepositoryObject;
}

/** Registers the dispatch, run and artifact routes over one in-memory `ActionsState`, and the harness to drive it. */
export function registerActions(
  router: Router,
  webRouter: Router,
  deps: RouteDeps,
  config: ActionsConfig,
): ActionsHarness {
  const { state, site } = deps;
  const actions = new ActionsState(state, config.artifactRetentionDays);
  const renderRun: ActionsDeps['renderRun'] = (repo, run) =>
    buildWorkflowRun(repo, run, config.repository(repo.owner, repo.name), site);
  const renderArtifact: ActionsDeps['renderArtifact'] = (repo, artifact, run) =>
    buildArtifact(repo, artifact, run, site, state.now());
  const actionsDeps: ActionsDeps = {
    ...deps,
    actions,
    returnsRunDetails: config.returnsRunDetails,
    maxInputs: config.maxInputs,
    hooks: [],
    hookErrors: [],
    renderRun,
    renderArtifact,
  };
  registerDispatchRoute(router, actionsDeps);
  registerRunRoutes(router, actionsDeps);
  registerArtifactRoutes(router, webRouter, actionsDeps);

  const find = (id: number) => {
    const run = actions.run(id);
    const repo: RepoRecord | undefined = run && state.repos.get(run.repo.toLowerCase());
    return run && repo ? { run, repo } : undefined;
  };
  const found = (id: number) => {
    const hit = find(id);
    if (!hit) throw new Error(`local GitHub: no workflow run ${id}`);
    return hit;
  };
  return {
    actions,
    onDispatch: (hook) => {
      actionsDeps.hooks.push(hook);
      return () => {
        const at = actionsDeps.hooks.indexOf(hook);
        if (at >= 0) actionsDeps.hooks.splice(at, 1);
      };
    },
    hookErrors: actionsDeps.hookErrors,
    run: (id) => {
      const hit = find(id);
      return hit && renderRun(hit.repo, hit.run);
    },
    updateRun: (id, change) => renderRun(found(id).repo, actions.updateRun(id, change)),
    addArtifact: (runId, name, files, options = {}) => {
      const { run, repo } = found(runId);
      const artifact = actions.addArtifact(runId, name, writeZip(files, state.now()), options.retentionDays);
      return renderArtifact(repo, artifact, run);
    },
  };
}
