import type { Octokit } from '@octokit/rest';
import { parseRunName } from '../core/dispatch/run-name.ts';
import type { RepoRef } from './repo-ref.ts';

/** What a run must be for its artifacts to count as a session's state. */
export interface PreviousRunExpectation {
  /** `owner/name` of this repository. */
  repo: string;
  /** The ipo phase workflow's file name, e.g. `ipo.yml` (config `workflow`). */
  workflow: string;
  defaultBranch: string;
  session: string;
}

/** The fields of a workflow run (`GET /repos/{o}/{r}/actions/runs/{id}`) that decide whether it is ours. */
export interface RunFacts {
  id: number;
  path: string;
  event: string;
  head_branch: string | null;
  display_title: string;
  status: string | null;
  repository: { full_name: string };
  head_repository?: { full_name: string } | null;
}

/**
 * Why run `run` cannot hold state of `expect.session`, or null when it can: it must be a `workflow_dispatch` run of
 * the configured ipo workflow file on the default branch of this repository (not a fork's, not another workflow's,
 * whose run-name anyone who can push a workflow could choose), named for this session, and finished.
 */
export function previousRunDistrust(run: RunFacts, expect: PreviousRunExpectation): string | null {
  const named = `run ${run.id}`;
  if (run.repository.full_name.toLowerCase() !== expect.repo.toLowerCase()) {
    return `${named} belongs to ${run.repository.full_name}, not ${expect.repo}`;
  }
  if (run.head_repository && run.head_repository.full_name.toLowerCase() !== expect.repo.toLowerCase()) {
    return `${named} ran code from ${run.head_repository.full_name}, a fork`;
  }
  // `path` is `.github/workflows/<file>`; GitHub adds `@<ref>` for runs of a reusable workflow's caller.
  const file = run.path.replace(/@.*$/, '');
  if (file !== `.github/workflows/${expect.workflow}`) {
    return `${named} is a run of ${file}, not of the ipo workflow .github/workflows/${expect.workflow}`;
  }
  if (run.event !== 'workflow_dispatch') return `${named} was started by ${run.event}, not by ipo's dispatch`;
  if (run.head_branch !== expect.defaultBranch) {
    return `${named} ran the workflow of ${run.head_branch ?? 'no branch'}, not of ${expect.defaultBranch}`;
  }
  if (parseRunName(run.display_title)?.session !== expect.session) {
    return `${named} ("${run.display_title}") is not a run of session ${expect.session}`;
  }
  if (run.status !== 'completed') return `${named} has not finished (${run.status ?? 'unknown'})`;
  return null;
}

/** Fetches run `runId` and checks it as `previousRunDistrust` does; a run GitHub does not know is refused too. */
export async function checkPreviousRun(
  octokit: Octokit,
  repo: RepoRef,
  runId: number,
  expect: PreviousRunExpectation,
): Promise<string | null> {
  try {
    const { data } = await octokit.rest.actions.getWorkflowRun({ ...repo, run_id: runId });
    return previousRunDistrust(data as RunFacts, expect);
  } catch (error) {
    if ((error as { status?: number }).status === 404) return `run ${runId} does not exist in ${expect.repo}`;
    throw error;
  }
}
