import type { Octokit } from '@octokit/rest';
import { parseComment } from '../core/commands/parse-comment.ts';
import type { VerifiedCommand } from '../core/dispatch/verified-command.ts';
import { sameLogin } from '../core/session/refusals.ts';
import { isWriteRole, repoRole } from './has-write-access.ts';
import type { RepoRef } from './repo-ref.ts';

/** A dispatch whose command comment does not hold: the job stops before it reads any state or calls the model. */
export class CommandRefusal extends Error {
  override name = 'CommandRefusal';
}

export interface CommentRules {
  /** The session's issue: the only place its commands are given. */
  issueNumber: number;
  /** Config `approvers`: logins allowed to give commands besides people with write access. */
  approvers: readonly string[];
}

/**
 * Reads comment `commentId` from GitHub and returns the command it gives, refusing (one reason per rule) unless
 * it is on the session's issue, was written by a person (not a bot) with write, maintain or admin access or
 * listed in `approvers`, and says exactly one command. Dispatch inputs are written by whoever dispatched, so the
 * job trusts none of them: the approver it records is the comment's author, as GitHub reports it.
 */
export async function verifyCommandComment(
  octokit: Octokit,
  repo: RepoRef,
  commentId: number,
  rules: CommentRules,
): Promise<VerifiedCommand> {
  const where = `${repo.owner}/${repo.repo}`;
  let comment: Awaited<ReturnType<Octokit['rest']['issues']['getComment']>>['data'];
  try {
    // https://docs.github.com/en/rest/issues/comments#get-an-issue-comment — 404 for an id in another repository.
    ({ data: comment } = await octokit.rest.issues.getComment({ ...repo, comment_id: commentId }));
  } catch (error) {
    if ((error as { status?: number }).status !== 404) throw error;
    throw new CommandRefusal(
      `comment ${commentId} does not exist in ${where}: comment-id must name the comment that gave the command`,
    );
  }
  const issue = /\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/.exec(comment.issue_url);
  const onIssue =
    issue !== null &&
    sameLogin(issue[1] ?? '', repo.owner) &&
    sameLogin(issue[2] ?? '', repo.repo) &&
    Number(issue[3]) === rules.issueNumber;
  if (!onIssue) {
    throw new CommandRefusal(
      `comment ${commentId} is not on issue #${rules.issueNumber} (it is on ${comment.issue_url}): ` +
        "a session's commands are given on its own issue",
    );
  }
  const login = comment.user?.login;
  // Bots never command sessions (the app ignores them too): another app's comment is not a person's approval.
  if (!login || comment.user?.type !== 'User') {
    throw new CommandRefusal(
      `comment ${commentId} was written by ${login ? `@${login}, a ${comment.user?.type ?? 'bot'}` : 'a deleted account'}: ` +
        'only people give commands',
    );
  }
  if (!rules.approvers.some((a) => sameLogin(a, login))) {
    const role = await repoRole(octokit, repo, login);
    if (!isWriteRole(role)) {
      const access = role === 'none' ? 'no access' : `${role} access`;
      throw new CommandRefusal(
        `comment ${commentId} was written by @${login}, who has ${access} to ${where} and is not listed in ` +
          '`approvers` of the ipo config: commands need write access; ask a maintainer to give the command',
      );
    }
  }
  const parsed = parseComment(comment.body ?? '');
  if (parsed.kind !== 'command') {
    throw new CommandRefusal(
      `comment ${commentId} by @${login} does not give one ipo command: the dispatch must name the comment with ` +
        'the command',
    );
  }
  return { commentId, login, command: parsed.command, at: comment.created_at, url: comment.html_url };
}

/** `verifyCommandComment` for each id, in the given order (oldest first). */
export function verifyCommandComments(
  octokit: Octokit,
  repo: RepoRef,
  commentIds: readonly number[],
  rules: CommentRules,
): Promise<VerifiedCommand[]> {
  return Promise.all(commentIds.map((id) => verifyCommandComment(octokit, repo, id, rules)));
}
