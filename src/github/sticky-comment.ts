import type { Octokit } from '@octokit/rest';
import type { RepoRef } from './repo-ref.ts';
import { parseStatusMarker, type StatusMarker } from './status-marker.ts';

/** A comment on the issue that carries a status marker. */
export interface StatusComment {
  id: number;
  url: string;
  marker: StatusMarker;
  body: string;
}

interface Candidate extends StatusComment {
  byBot: boolean;
}

/**
 * Every comment on the issue whose body ends with a valid status marker, oldest first, bot-authored ones first.
 * Bots are preferred because a person can paste a marker into their own comment; nothing here trusts the marker
 * beyond finding the comment (jobs check `ledgerDigest` against the artifact chain).
 */
async function statusComments(octokit: Octokit, repo: RepoRef, issueNumber: number): Promise<Candidate[]> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    ...repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  const found = comments.flatMap((comment): Candidate[] => {
    const marker = comment.body ? parseStatusMarker(comment.body) : null;
    if (!marker || !comment.body) return [];
    const byBot = comment.user?.type === 'Bot';
    return [{ id: comment.id, url: comment.html_url, marker, body: comment.body, byBot }];
  });
  // A stable sort keeps the API's oldest-first order within each group.
  return found.sort((a, b) => Number(b.byBot) - Number(a.byBot));
}

function publicPart({ id, url, marker, body }: Candidate): StatusComment {
  return { id, url, marker, body };
}

/**
 * Creates or edits the session's sticky status comment on the issue: the oldest comment whose marker names
 * `session` (a bot's before a person's) is edited, else a comment is created; an unchanged body is not re-sent.
 * With `known`, that comment is taken as read instead of listing the issue's comments again.
 * `body` must end with the marker for `session` (see `renderStatusComment`), or the next call could not find it.
 * GitHub API failures propagate as Octokit's `RequestError` (`status`, `response`); the caller decides.
 */
export async function upsertStatusComment(
  octokit: Octokit,
  repo: RepoRef,
  issueNumber: number,
  body: string,
  { session, known }: { session: string; known?: StatusComment | null },
): Promise<{ id: number; url: string; created: boolean }> {
  if (parseStatusMarker(body)?.session !== session) {
    throw new Error(`the status comment body must end with the status marker of session ${session}`);
  }
  // `known`: the caller read the issue's status comment moments ago (null: there was none), which saves a listing.
  const existing =
    known !== undefined
      ? known?.marker.session === session
        ? known
        : undefined
      : (await statusComments(octokit, repo, issueNumber)).find((c) => c.marker.session === session);
  if (!existing) {
    const { data } = await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body });
    return { id: data.id, url: data.html_url, created: true };
  }
  if (existing.body !== body) {
    await octokit.rest.issues.updateComment({ ...repo, comment_id: existing.id, body });
  }
  return { id: existing.id, url: existing.url, created: false };
}

/**
 * The status comment of `session` on the issue, or, without a session, the one posted last (the latest session's),
 * preferring bot-authored comments; null when there is none. API failures propagate as `RequestError`.
 */
export async function readStatusComment(
  octokit: Octokit,
  repo: RepoRef,
  issueNumber: number,
  session?: string,
): Promise<StatusComment | null> {
  const candidates = await statusComments(octokit, repo, issueNumber);
  const preferred = candidates.some((c) => c.byBot) ? candidates.filter((c) => c.byBot) : candidates;
  const match =
    session === undefined ? preferred.at(-1) : candidates.find((c) => c.marker.session === session);
  return match ? publicPart(match) : null;
}
