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

/**
 * Creates `ref` if nobody has: true for the one caller that created it, false when it exists. GitHub answers 422
 * both for a ref that exists ("Reference already exists") and, intermittently, for a create that simply failed
 * ("Reference update failed", github/rest-api-description#4887): reading a 422 as "someone else won" would drop
 * a command without a word. So a 422 is checked by reading the ref back (`GET /git/ref/{ref}`, exact match, 404
 * when absent: https://docs.github.com/en/rest/git/refs#get-a-reference): there → lost; absent → tried again.
 */
export async function claimRef(
  octokit: Octokit,
  repo: RepoRef,
  ref: string,
  sha: string,
  attempts = 3,
): Promise<boolean> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      await octokit.rest.git.createRef({ ...repo, ref, sha });
      return true;
    } catch (error) {
      if ((error as { status?: number }).status !== 422) throw error;
      last = error;
      if (await refExists(octokit, repo, ref)) return false;
    }
  }
  const message = (last as { message?: string } | undefined)?.message ?? 'no message';
  throw new Error(
    `GitHub refused to create the claim ${ref} ${attempts} times without creating it (422: ${message}); ` +
      'nothing was changed: say the command again',
  );
}

async function refExists(octokit: Octokit, repo: RepoRef, ref: string): Promise<boolean> {
  try {
    await octokit.rest.git.getRef({ ...repo, ref: ref.replace(/^refs\//, '') });
    return true;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return false;
    throw error;
  }
}
