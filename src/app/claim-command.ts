import type { Octokit } from '@octokit/rest';
import type { RepoRef } from '../github/repo-ref.ts';
import { claimRef } from './claim.ts';
import { deleteRef } from './start-session.ts';
import type { UndoLog } from './undo-log.ts';

/**
 * `won`: this handling may act. `redelivered`: this very comment was (or is being) handled already — by an earlier
 * delivery or another app instance — so this one says nothing. `lost`: another command changed the session first.
 */
export type ClaimOutcome = 'won' | 'redelivered' | 'lost';

/** The claim of one comment: a comment acts at most once, ever, whatever happened to the session since. */
export const commentClaim = (commentId: number) => `refs/ipo/claims/comments/${commentId}`;

/**
 * The claim of one change of a session: every command is decided on the marker's `version` and claims that
 * version, so of an approval and a `cancel session` decided on the same state exactly one acts. `round` > 0 names
 * a takeover of a claim whose holder died before changing anything (see `settleLostClaim`).
 */
export const versionClaim = (session: string, version: number, round = 0) =>
  `refs/ipo/claims/${session}/v${version}${round > 0 ? `.${round}` : ''}`;

/**
 * Claims the comment and (for a command on an existing session) the session's version at once — one round trip.
 * Each claim made is recorded in `undo`; a claim this handling does not keep is given back before returning.
 */
export async function claimCommand(
  octokit: Octokit,
  repo: RepoRef,
  claim: { commentId: number; version?: { session: string; version: number; round?: number }; sha: string },
  undo: UndoLog,
): Promise<ClaimOutcome> {
  const refs = [commentClaim(claim.commentId)];
  if (claim.version)
    refs.push(versionClaim(claim.version.session, claim.version.version, claim.version.round));
  const results = await Promise.allSettled(refs.map((ref) => claimRef(octokit, repo, ref, claim.sha)));
  results.forEach((result, i) => {
    const ref = refs[i];
    if (ref && result.status === 'fulfilled' && result.value) {
      undo.add(`the claim ${ref}`, () => deleteRef(octokit, repo, ref));
    }
  });
  for (const result of results) if (result.status === 'rejected') throw result.reason;
  const [comment, version] = results.map((r) => r.status === 'fulfilled' && r.value);
  if (!comment) {
    // Another handling of this same comment holds it: the version claim (if won) is not ours to keep.
    if (version && claim.version) {
      const ref = versionClaim(claim.version.session, claim.version.version, claim.version.round);
      await deleteRef(octokit, repo, ref).catch(() => undefined);
    }
    return 'redelivered';
  }
  return refs.length === 1 || version ? 'won' : 'lost';
}
