import { parseRunName, type RunNameParts, stateArtifactName } from './run-name.ts';

/** The fields of `GET /repos/{o}/{r}/actions/runs/{id}` the job relies on. */
export interface PreviousRun {
  id: number;
  /** `repository.full_name`. */
  repository: string;
  /** `head_repository.full_name`: differs from `repository` for a fork's run. */
  headRepository: string | null;
  /** `.github/workflows/<file>`, which GitHub may suffix with `@<ref>`. */
  path: string;
  headBranch: string | null;
  /** `head_sha`: the commit whose workflow file ran (checked against the default branch's history by the caller). */
  headSha: string;
  event: string;
  displayTitle: string;
  status: string | null;
  conclusion: string | null;
}

export interface PreviousRunExpectation {
  /** `owner/repo` of this run. */
  repository: string;
  /** The configured workflow file (config `workflow`), in `.github/workflows` of the default branch. */
  workflow: string;
  defaultBranch: string;
  session: string;
  issueNumber: number;
  /** The last run the issue's status comment records, when it records one. */
  recordedRunId?: number;
}

/**
 * A phase ends with the workflow uploading its state whenever the Action set `status`: `success` for a phase
 * that succeeded or was blocked, `failure` for a phase that failed (the Action fails its step, and the upload
 * still runs). `cancelled`, `timed_out` and the rest never reach the upload (`!cancelled()`), so they hold no
 * state to continue from.
 */
export const STATE_EXPORTING_CONCLUSIONS: readonly string[] = ['success', 'failure'];

export type PreviousRunCheck = { ok: true; artifact: string } | { ok: false; reason: string };

/** The fields of a run that say whose it is: everything `checkPreviousRun` reads but its outcome. */
export type RunIdentity = Omit<PreviousRun, 'status' | 'conclusion'>;

export type RunIdentityCheck = { ok: true; name: RunNameParts } | { ok: false; reason: string };

/** What the run of a session's phase must be; `recordedRunId` only matters to a run handing over state. */
export type RunExpectation = Omit<PreviousRunExpectation, 'recordedRunId'>;

/**
 * Whether `run` is a run of ipo's phase workflow for this session (with its parsed run-name): a `workflow_dispatch`
 * run of the configured workflow, from the default branch of this repository (not a fork's), whose run-name names
 * this session and issue. Anyone with write access can dispatch any workflow on any branch with any run-name, so a run
 * that fails one of these may have uploaded, or claim to report, anything. Whether its commit is on the default
 * branch's history is asked of GitHub by the caller (see `src/github/previous-run.ts`).
 */
export function checkRunIdentity(run: RunIdentity, want: RunExpectation): RunIdentityCheck {
  const refuse = (reason: string): RunIdentityCheck => ({ ok: false, reason });
  const same = (a: string | null, b: string) => a !== null && a.toLowerCase() === b.toLowerCase();
  if (!same(run.repository, want.repository)) {
    return refuse(
      `belongs to ${run.repository}, not ${want.repository}: previous-run-id must name a run in this repository`,
    );
  }
  if (run.headRepository !== null && !same(run.headRepository, want.repository)) {
    return refuse(
      `ran code from ${run.headRepository}, a fork: only this repository's own runs hand over state`,
    );
  }
  if (run.event !== 'workflow_dispatch') {
    return refuse(
      `was triggered by ${run.event}, not workflow_dispatch: only the app's dispatches hand over state`,
    );
  }
  const [path = '', ref] = run.path.split('@');
  const expectedPath = `.github/workflows/${want.workflow}`;
  if (path !== expectedPath) {
    return refuse(
      `is a run of ${path}, not of the configured ipo workflow ${expectedPath} (config \`workflow\`)`,
    );
  }
  const onDefault =
    same(run.headBranch, want.defaultBranch) &&
    (ref === undefined || ref === want.defaultBranch || ref === `refs/heads/${want.defaultBranch}`);
  if (!onDefault) {
    return refuse(
      `ran the workflow from ${run.headBranch ?? 'no branch'}, not the default branch ${want.defaultBranch}: ` +
        'a workflow file on any other branch can be edited to upload whatever state it likes',
    );
  }
  const named = parseRunName(run.displayTitle);
  if (!named || named.session !== want.session || named.issueNumber !== want.issueNumber) {
    return refuse(
      `("${run.displayTitle}") is not a run of session ${want.session} on issue #${want.issueNumber}: ` +
        'dispatch with the run the status comment names',
    );
  }
  return { ok: true, name: named };
}

/**
 * Whether `run` is one this session may import state from: a run of the session (`checkRunIdentity`) that
 * completed with a conclusion that exports state, and the last one the status comment records. On success, the
 * exact name of its state artifact.
 */
export function checkPreviousRun(run: PreviousRun, want: PreviousRunExpectation): PreviousRunCheck {
  const refuse = (reason: string): PreviousRunCheck => ({
    ok: false,
    reason: `previous run ${run.id} ${reason}`,
  });
  const identity = checkRunIdentity(run, want);
  if (!identity.ok) return refuse(identity.reason);
  if (run.status !== 'completed') {
    return refuse(
      `is ${run.status ?? 'not started'}, not completed: wait for it to end, then dispatch again`,
    );
  }
  if (!STATE_EXPORTING_CONCLUSIONS.includes(run.conclusion ?? '')) {
    return refuse(
      `ended ${run.conclusion ?? 'without a conclusion'}, which never exports state: continue from the last run ` +
        'that finished (the status comment names it)',
    );
  }
  if (want.recordedRunId !== undefined && want.recordedRunId !== run.id) {
    return refuse(
      `is not the last run the status comment records (${want.recordedRunId}): the app always dispatches with ` +
        'that one',
    );
  }
  return { ok: true, artifact: stateArtifactName(identity.name) };
}
