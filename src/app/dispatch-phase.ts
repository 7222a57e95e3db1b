import type { Octokit } from '@octokit/rest';
import { runName } from '../core/dispatch/run-name.ts';
import type { RepoRef } from '../github/repo-ref.ts';

export interface DispatchInputs {
  session: string;
  phase: string;
  attempt: number;
  previousRunId?: number;
  issueNumber: number;
  approvedSha?: string;
  /**
   * The comment that gave the command. The job reads the command (and a retry's feedback), its author and its
   * time from GitHub itself, so nothing a person who dispatches by hand types in is taken as an approval.
   */
  commentId: number;
}

// One place for the run-name: the job checks previous runs by it too.
export { parseRunName, runName } from '../core/dispatch/run-name.ts';

/**
 * Dispatches the phase workflow on the default branch (never a branch the agent can write) and returns the run id:
 * from `return_run_details` where GitHub supports it, else found by the run's name.
 */
export async function dispatchPhase(
  octokit: Octokit,
  repo: RepoRef,
  target: { workflow: string; ref: string },
  inputs: DispatchInputs,
  lookup: { attempts: number; delayMs: number },
): Promise<number | null> {
  const response = await octokit.request(
    'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches',
    {
      ...repo,
      workflow_id: target.workflow,
      ref: target.ref,
      inputs: workflowInputs(inputs),
      return_run_details: true,
    },
  );
  const details = response.data as { workflow_run_id?: number } | undefined;
  if (response.status === 200 && details?.workflow_run_id) return details.workflow_run_id;
  if (lookup.attempts === 0) return null;
  return findRun(octokit, repo, target.workflow, runName(inputs), lookup);
}

/**
 * The id of the run of `workflow` whose run-name (`display_title`) is `name`, polling with backoff while GitHub's
 * run list catches up with a new run. No `created` filter: GitHub is reported to ignore its time of day and answer
 * nothing; the newest dispatched runs come first (https://docs.github.com/en/rest/actions/workflow-runs).
 */
export async function findRun(
  octokit: Octokit,
  repo: RepoRef,
  workflow: string,
  name: string,
  lookup = { attempts: 1, delayMs: 0 },
): Promise<number | null> {
  for (let i = 0; i < lookup.attempts; i++) {
    const { data } = await octokit.rest.actions.listWorkflowRuns({
      ...repo,
      workflow_id: workflow,
      event: 'workflow_dispatch',
      per_page: 100,
    });
    const run = data.workflow_runs.find((r) => r.display_title === name);
    if (run) return run.id;
    if (i + 1 < lookup.attempts) await new Promise((resolve) => setTimeout(resolve, lookup.delayMs * 2 ** i));
  }
  return null;
}

/** At most 10 inputs (GitHub's limit until 2025), all strings, as workflow_dispatch takes them. */
function workflowInputs(i: DispatchInputs): Record<string, string> {
  return {
    session: i.session,
    phase: i.phase,
    attempt: String(i.attempt),
    'previous-run-id': i.previousRunId ? String(i.previousRunId) : '',
    'issue-number': String(i.issueNumber),
    'approved-sha': i.approvedSha ?? '',
    'comment-id': String(i.commentId),
  };
}
