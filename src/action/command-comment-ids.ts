import type { Octokit } from '@octokit/rest';
import type { VerifiedCommand } from '../core/dispatch/verified-command.ts';
import type { StateTrust } from '../github/marker-trust.ts';
import type { RepoRef } from '../github/repo-ref.ts';
import type { StatusMarker } from '../github/status-marker.ts';
import { readStatusComment, type StatusComment } from '../github/sticky-comment.ts';
import { verifyCommandComments } from '../github/verify-command-comment.ts';

/**
 * The comments whose commands lead from the last exported ledger to this run, oldest first: the status marker's
 * `pending` list (commands the app accepted since the last job, e.g. `rollback implementation`, which dispatched
 * nothing, then `proceed to implementation`), ending with the comment that dispatched this run.
 */
export function commandCommentIds(marker: StatusMarker | undefined, dispatching: number): number[] {
  const pending = marker?.pending ?? [];
  if (!pending.includes(dispatching)) return [...pending, dispatching];
  if (pending.at(-1) === dispatching) return [...pending];
  throw new Error(
    `comment ${dispatching} dispatched this run, but the status comment lists commands given after it: ` +
      'dispatch again from the latest command',
  );
}

/**
 * The session's trusted status comment and the commands that lead to this run, read from their comments as GitHub
 * shows them (never from dispatch inputs anyone could write) and verified: the preflight and the phase and write
 * steps all start here. A refusal propagates as `CommandRefusal`.
 */
export async function readSessionCommands(
  octokit: Octokit,
  repo: RepoRef,
  trust: StateTrust,
  run: { issueNumber: number; session: string; commentId: number; approvers: readonly string[] },
): Promise<{ sticky: StatusComment | null; commands: VerifiedCommand[] }> {
  const sticky = await readStatusComment(octokit, repo, run.issueNumber, trust, run.session);
  const commands = await verifyCommandComments(
    octokit,
    repo,
    commandCommentIds(sticky?.marker, run.commentId),
    {
      issueNumber: run.issueNumber,
      approvers: run.approvers,
    },
  );
  return { sticky, commands };
}
