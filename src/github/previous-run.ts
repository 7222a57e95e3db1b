import type { Octokit } from '@octokit/rest';
import {
  checkPreviousRun,
  type PreviousRun,
  type PreviousRunCheck,
  type PreviousRunExpectation,
} from '../core/dispatch/check-previous-run.ts';
import { type ArtifactLifetime, stateExpiryText } from '../core/dispatch/state-expiry.ts';
import { isAncestor } from './ancestry.ts';
import type { RepoRef } from './repo-ref.ts';

/**
 * Whether run `runId` may hand state to the session `want` describes, asked of GitHub: the run as GitHub reports
 * it must pass `checkPreviousRun`, and the commit it ran must be on the default branch's history
 * (`runCommitProblem`). The app asks this before it dispatches, the job's preflight before it downloads anything:
 * one rule for both.
 * API failures other than a 404 propagate as Octokit's `RequestError`.
 */
export async function checkPreviousRunOnGitHub(
  octokit: Octokit,
  repo: RepoRef,
  runId: number,
  want: PreviousRunExpectation & {
    recordedSha?: string;
    /**
     * Also list the run's artifacts, in the same round, and refuse an expired state artifact (the app: an approval
     * must not dispatch a run that cannot download its state). The job's preflight lists them only after the run
     * passed, so a refused run's artifacts are not even looked at.
     */
    expiredStateRefused?: boolean;
  },
): Promise<PreviousRunCheck> {
  // With the commit the status comment records, both questions go to GitHub at once (one round, not two); the
  // run must then have run exactly that commit. Its artifacts (metadata only) come in the same round.
  const [run, recordedOnDefault, artifacts] = await Promise.all([
    fetchRun(octokit, repo, runId),
    want.recordedSha
      ? runCommitProblem(octokit, repo, { headSha: want.recordedSha }, want.defaultBranch)
      : null,
    want.expiredStateRefused ? runArtifacts(octokit, repo, runId) : [],
  ]);
  if (!run) {
    return {
      ok: false,
      reason: `previous run ${runId} is not a run of ${repo.owner}/${repo.repo}: previous-run-id must name a run in this repository`,
    };
  }
  const checked = checkPreviousRun(run, want);
  if (!checked.ok) return checked;
  if (want.recordedSha && run.headSha !== want.recordedSha) {
    return {
      ok: false,
      reason: `previous run ${run.id} ran ${run.headSha.slice(0, 7)}, not ${want.recordedSha.slice(0, 7)} as the status comment records`,
    };
  }
  const commit = want.recordedSha
    ? recordedOnDefault
    : await runCommitProblem(octokit, repo, run, want.defaultBranch);
  if (commit) return { ok: false, reason: `previous run ${run.id} ${commit}` };
  // A missing artifact is the preflight's to refuse (the app may act before the write job has uploaded it).
  const artifact = artifacts.find((a) => a.name === checked.artifact);
  // An expired artifact's download answers 410: say so now, not as a failed download step.
  if (artifact?.expired) {
    return {
      ok: false,
      reason: `previous run ${run.id}: ${stateExpiryText(artifact, { kind: 'expired', expiresAt: artifact.expiresAt }, want.session)}`,
    };
  }
  return checked;
}

/** A run's artifacts (metadata only), none for a run this repository does not have. */
export async function runArtifacts(
  octokit: Octokit,
  repo: RepoRef,
  runId: number,
): Promise<ArtifactLifetime[]> {
  try {
    // https://docs.github.com/en/rest/actions/artifacts#list-workflow-run-artifacts (`expired`, `expires_at`)
    const { data } = await octokit.rest.actions.listWorkflowRunArtifacts({
      ...repo,
      run_id: runId,
      per_page: 100,
    });
    return data.artifacts.map((a) => ({
      name: a.name,
      createdAt: a.created_at ?? '',
      expiresAt: a.expires_at ?? null,
      expired: a.expired,
    }));
  } catch (error) {
    if ((error as { status?: number }).status === 404) return [];
    throw error;
  }
}

/**
 * Why the commit `run` ran is not one of the default branch's, or null. `head_branch` is only a name: a tag named
 * like the default branch (`refs/tags/main`), which any writer can push, runs with `head_branch: main` and a
 * workflow file of its own, so only the commit's place on the default branch's history tells the two apart.
 */
export async function runCommitProblem(
  octokit: Octokit,
  repo: RepoRef,
  run: Pick<PreviousRun, 'headSha'>,
  defaultBranch: string,
): Promise<string | null> {
  if (await isAncestor(octokit, repo, run.headSha, defaultBranch)) return null;
  return (
    `ran commit ${run.headSha.slice(0, 7)}, which is not on the history of ${defaultBranch}: only the default ` +
    "branch's own workflow speaks for a session (a tag or a branch named like it can run a workflow file of its own)"
  );
}

/** `GET /repos/{o}/{r}/actions/runs/{id}` as `PreviousRun`; null for a run this repository does not have. */
async function fetchRun(octokit: Octokit, repo: RepoRef, runId: number): Promise<PreviousRun | null> {
  try {
    // https://docs.github.com/en/rest/actions/workflow-runs#get-a-workflow-run
    const { data } = await octokit.rest.actions.getWorkflowRun({ ...repo, run_id: runId });
    return {
      id: data.id,
      repository: data.repository.full_name,
      headRepository: data.head_repository?.full_name ?? null,
      path: data.path,
      headBranch: data.head_branch,
      headSha: data.head_sha,
      event: data.event,
      displayTitle: data.display_title,
      status: data.status,
      conclusion: data.conclusion,
    };
  } catch (error) {
    if ((error as { status?: number }).status === 404) return null;
    throw error;
  }
}
