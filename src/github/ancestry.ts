import type { Octokit } from '@octokit/rest';
import type { RepoRef } from './repo-ref.ts';

/**
 * Whether commit `base` is on the history of `head` (an ancestor of it, or the same commit), as GitHub's compare
 * API says: `GET /repos/{o}/{r}/compare/{base}...{head}` answers `status` `identical` or `ahead` exactly when
 * `base` is an ancestor of `head` (https://docs.github.com/en/rest/commits/commits#compare-two-commits). A commit
 * or ref GitHub does not know (404) is on no history. Other API failures propagate as `RequestError`.
 */
export async function isAncestor(
  octokit: Octokit,
  repo: RepoRef,
  base: string,
  head: string,
): Promise<boolean> {
  try {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
      ...repo,
      basehead: `${base}...${head}`,
      // Only `status` is read: one commit per page keeps the answer small.
      per_page: 1,
    });
    return data.status === 'identical' || data.status === 'ahead';
  } catch (error) {
    if ((error as { status?: number }).status === 404) return false;
    throw error;
  }
}
