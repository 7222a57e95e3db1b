import type { Octokit } from '@octokit/rest';
import { nextSessionId } from '../core/session/session-id.ts';
import type { RepoRef } from '../github/repo-ref.ts';
import { claimDispatch, claimRef } from './claim.ts';
import type { UndoLog } from './undo-log.ts';

export interface StartRequest {
  issueNumber: number;
  taskId: string;
  /** The issue's latest session before this start, if any: one start may follow it. */
  previousSession: string | undefined;
  /** The default branch's head: what the session branch is cut from, and what claims point at. */
  base: string;
  now: Date;
}

/**
 * Claims a start on this issue and a free session id (its alignment-1 claim), or returns null when another start on
 * the issue won. Racing start comments on one issue all claim the same start ref; two issues starting the same task
 * at once compute the same id, and the loser moves on to the next one instead of dropping its start.
 *
 * The first session of a task that day is the common case, so its id is claimed at once, alongside the start claim
 * (each round trip to GitHub costs 100 ms or more); the task's sessions are only listed when that id is taken.
 */
export async function claimSessionStart(
  octokit: Octokit,
  repo: RepoRef,
  request: StartRequest,
  undo: UndoLog,
): Promise<string | null> {
  const startClaim = `refs/ipo/claims/issues/${request.issueNumber}/start-after-${request.previousSession ?? 'none'}`;
  const first = nextSessionId(request.taskId, request.now, []);
  const [start, firstId] = await Promise.allSettled([
    claimRef(octokit, repo, startClaim, request.base),
    claimSessionId(octokit, repo, first, request.base),
  ]);
  const firstClaimed = firstId.status === 'fulfilled' && firstId.value;
  // Recorded before looking at the start claim: if that one failed, the id must still be given back.
  if (firstClaimed)
    undo.add(`the claim of session ${first}`, () => deleteRef(octokit, repo, sessionClaim(first)));
  if (start.status === 'rejected') throw start.reason;
  if (!start.value) {
    // Another start on this issue won: the id claimed alongside is not ours to keep (best effort: a leftover
    // claim only moves a later session of the task to the next number).
    if (firstClaimed) await deleteRef(octokit, repo, sessionClaim(first)).catch(() => undefined);
    return null;
  }
  undo.add(`the claim ${startClaim}`, () => deleteRef(octokit, repo, startClaim));
  if (firstId.status === 'rejected') throw firstId.reason;
  if (firstClaimed) return first;
  const taken = [first, ...(await existingSessions(octokit, repo, request.taskId))];
  for (let i = 0; i < 10; i++) {
    const session = nextSessionId(request.taskId, request.now, taken);
    if (await claimSessionId(octokit, repo, session, request.base)) {
      undo.add(`the claim of session ${session}`, () => deleteRef(octokit, repo, sessionClaim(session)));
      return session;
    }
    taken.push(session);
    // Someone else holds this id: learn every id taken meanwhile before trying the next.
    taken.push(...(await existingSessions(octokit, repo, request.taskId)));
  }
  throw new Error(`could not claim a session id for task ${request.taskId} after 10 attempts`);
}

const sessionClaim = (session: string) => `refs/ipo/claims/${session}/alignment-1`;

function claimSessionId(octokit: Octokit, repo: RepoRef, session: string, sha: string): Promise<boolean> {
  return claimDispatch(octokit, repo, { session, phase: 'alignment', attempt: 1, sha });
}

/** Session ids already used for `taskId` (their branches), so a second session that day gets `-2`. */
async function existingSessions(octokit: Octokit, repo: RepoRef, taskId: string): Promise<string[]> {
  const { data } = await octokit.rest.git.listMatchingRefs({ ...repo, ref: `heads/ipo/phase-${taskId}-` });
  return data.map((ref) => ref.ref.replace('refs/heads/ipo/', ''));
}

/** Deletes a ref; one that is already gone counts as deleted. */
export async function deleteRef(octokit: Octokit, repo: RepoRef, ref: string): Promise<void> {
  try {
    await octokit.rest.git.deleteRef({ ...repo, ref: ref.replace(/^refs\//, '') });
  } catch (error) {
    if ((error as { status?: number }).status !== 422) throw error;
  }
}
