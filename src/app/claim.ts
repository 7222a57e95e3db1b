import type { Octokit } from '@octokit/rest';
import type { RepoRef } from '../github/repo-ref.ts';

/**
 * Claims the right to dispatch `phase` attempt `attempt` of `session` by creating
 * `refs/ipo/claims/<session>/<phase>-<attempt>`. GitHub creates a ref once and answers 422 after, so of racing
 * approvals, redeliveries and app instances exactly one wins. Returns false when someone else holds the claim.
 */
export async function claimDispatch(
  octokit: Octokit,
  repo: RepoRef,
  claim: { session: string; phase: string; attempt: number; sha: string },
): Promise<boolean> {
  return claimRef(octokit, repo, dispatchClaim(claim), claim.sha);
}

/** The ref that claims the dispatch of one phase attempt of a session. */
export const dispatchClaim = (claim: { session: string; phase: string; attempt: number }) =>
  `refs/ipo/claims/${claim.session}/${claim.phase}-${claim.attempt}`;

/** Creates `ref` if nobody has: true for the one caller that created it, false (GitHub's 422) for the others. */
export async function claimRef(octokit: Octokit, repo: RepoRef, ref: string, sha: string): Promise<boolean> {
  try {
    await octokit.rest.git.createRef({ ...repo, ref, sha });
    return true;
  } catch (error) {
    if ((error as { status?: number }).status === 422) return false;
    throw error;
  }
}
