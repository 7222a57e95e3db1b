import type { ActionsState, ArtifactRecord, RunRecord } from '../actions-state.ts';
import type { WorkflowRun } from '../build-workflow-run.ts';
import type { InputValue } from '../dispatch-inputs.ts';
import type { RepoRecord } from '../github-state.ts';
import type { Schema } from '../github-types.ts';
import type { RouteDeps } from './route-deps.ts';

/** Called after a dispatch created its run; not awaited (a run goes on after GitHub has answered). */
export type DispatchHook = (run: WorkflowRun, inputs: Record<string, InputValue>) => void | Promise<void>;

/** What the Actions routes share: the in-memory runs and how dispatches behave. */
export interface ActionsDeps extends RouteDeps {
  actions: ActionsState;
  /** Answer `return_run_details: true` with 200 + the run (GitHub since 2025); false: always 204. */
  returnsRunDetails: boolean;
  /** GitHub's limit on `inputs` in one dispatch. */
  maxInputs: number;
  hooks: DispatchHook[];
  /** What the hooks threw or rejected with, so a test can assert there was nothing. */
  hookErrors: unknown[];
  /** The run as the API shows it. */
  renderRun(repo: RepoRecord, run: RunRecord): WorkflowRun;
  /** The artifact as the API shows it (`expired` as of now). */
  renderArtifact(repo: RepoRecord, artifact: ArtifactRecord, run: RunRecord): Schema<'artifact'>;
}
