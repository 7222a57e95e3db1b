import type { Octokit } from '@octokit/rest';
import type { RepoRef } from '../github/repo-ref.ts';

/** The commit `branch` points at, or undefined when there is no such branch. */
export async function branchSha(
  octokit: Octokit,
  repo: RepoRef,
  branch: string,
): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.git.getRef({ ...repo, ref: `heads/${branch}` });
    return data.object.sha;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

/** Whether pull request `number` comes from a fork (its head lives in another repository). */
export async function isForkPullRequest(octokit: Octokit, repo: RepoRef, number: number): Promise<boolean> {
  const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: number });
  return Boolean(data.head.repo?.fork) || data.head.repo?.full_name !== data.base.repo.full_name;
}
