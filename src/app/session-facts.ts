import type { Octokit } from '@octokit/rest';
import { isAncestor } from '../github/ancestry.ts';
import type { RepoRef } from '../github/repo-ref.ts';
import type { StatusMarker } from '../github/status-marker.ts';

/** The session branch as GitHub has it: its head, and whether branch protection covers it. */
export interface BranchFacts {
  sha: string;
  protected: boolean;
}

/** `GET /repos/{o}/{r}/branches/{branch}`: its head and `protected` in one call; undefined when there is none. */
export async function readBranch(
  octokit: Octokit,
  repo: RepoRef,
  branch: string,
): Promise<BranchFacts | undefined> {
  try {
    const { data } = await octokit.rest.repos.getBranch({ ...repo, branch });
    return { sha: data.commit.sha, protected: data.protected };
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

/**
 * Why ipo must not write the session branch the marker names, or null. The marker already names `ipo/<session>`
 * (marker-trust.ts); this adds what only GitHub knows: the branch exists, is not the default branch and is not
 * protected — ipo force-resets session branches on rollback and must never do that to a branch a team protects.
 */
export function branchDistrust(
  marker: StatusMarker,
  branch: BranchFacts | undefined,
  defaultBranch: string,
): string | null {
  if (marker.branch === defaultBranch) return `the session branch ${marker.branch} is the default branch`;
  if (!branch) return `the session branch ${marker.branch} no longer exists`;
  if (branch.protected) {
    return `the session branch ${marker.branch} is protected, and ipo only writes unprotected \`ipo/\` branches`;
  }
  return null;
}

/**
 * Why the branch may not be reset to `target`, or null: the target must be on the session branch's own history
 * (an ancestor of, or equal to, its head) and at or after the session's base — never a commit from elsewhere.
 * Both are asked of GitHub's compare API at once (see `isAncestor`).
 */
export async function rollbackDistrust(
  octokit: Octokit,
  repo: RepoRef,
  marker: StatusMarker,
  target: string,
): Promise<string | null> {
  const sessionBase = marker.bases.alignment;
  if (!sessionBase) return `session ${marker.session} records no base commit`;
  const [onBranch, afterBase] = await Promise.all([
    isAncestor(octokit, repo, target, marker.branch),
    isAncestor(octokit, repo, sessionBase, target),
  ]);
  if (!onBranch) return `${target.slice(0, 7)} is not on the history of ${marker.branch}`;
  if (!afterBase) return `${target.slice(0, 7)} is older than the session's base ${sessionBase.slice(0, 7)}`;
  return null;
}
