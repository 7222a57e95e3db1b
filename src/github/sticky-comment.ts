import type { Octokit } from '@octokit/rest';
import { isOwnComment, markerDistrust, type StateTrust } from './marker-trust.ts';
import type { RepoRef } from './repo-ref.ts';
import { parseStatusMarker, readMarkerLine, type StatusMarker } from './status-marker.ts';

/** A comment on the issue by ipo's own bot that carries a status marker ipo can act on. */
export interface StatusComment {
  id: number;
  url: string;
  marker: StatusMarker;
  body: string;
}

/** A status comment by ipo's own bot that cannot be acted on (edited, truncated, copied), and why. */
export interface RefusedStatusComment {
  id: number;
  url: string;
  session: string | undefined;
  reason: string;
}

/** The issue's status comments by ipo's bot, oldest first: those it can act on, and those it refuses. */
export interface IssueStatus {
  trusted: StatusComment[];
  refused: RefusedStatusComment[];
  /** The newest of all of them: the one a person sees as the session's status. */
  latest:
    | { kind: 'trusted'; comment: StatusComment }
    | { kind: 'refused'; comment: RefusedStatusComment }
    | null;
}

/**
 * Every status comment on the issue, sorted into trusted and refused. Only comments by `trust.author` are looked
 * at: a marker in anyone else's comment (a person's, another bot's, another workflow's) is text, never state, and
 * such comments are never edited. GitHub API failures propagate as Octokit's `RequestError`.
 */
export async function readIssueStatus(
  octokit: Octokit,
  repo: RepoRef,
  issueNumber: number,
  trust: StateTrust,
): Promise<IssueStatus> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    ...repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  const status: IssueStatus = { trusted: [], refused: [], latest: null };
  for (const comment of comments) {
    if (!comment.body || !isOwnComment(comment.user, trust)) continue;
    const read = readMarkerLine(comment.body);
    if (read.kind === 'none') continue;
    const base = { id: comment.id, url: comment.html_url };
    const reason = read.kind === 'malformed' ? read.reason : markerDistrust(read.marker, trust, issueNumber);
    if (read.kind === 'marker' && reason === null) {
      const trusted = { ...base, marker: read.marker, body: comment.body };
      status.trusted.push(trusted);
      status.latest = { kind: 'trusted', comment: trusted };
    } else {
      const session = read.kind === 'marker' ? read.marker.session : undefined;
      const refused = { ...base, session, reason: reason ?? 'its marker cannot be read' };
      status.refused.push(refused);
      status.latest = { kind: 'refused', comment: refused };
    }
  }
  return status;
}

/**
 * The trusted status comment of `session` on the issue, or, without a session, the newest trusted one; null when
 * there is none. API failures propagate as `RequestError`.
 */
export async function readStatusComment(
  octokit: Octokit,
  repo: RepoRef,
  issueNumber: number,
  trust: StateTrust,
  session?: string,
): Promise<StatusComment | null> {
  const { trusted } = await readIssueStatus(octokit, repo, issueNumber, trust);
  const match = session === undefined ? trusted.at(-1) : trusted.find((c) => c.marker.session === session);
  return match ?? null;
}

/**
 * Creates or edits the session's status comment on the issue: ipo's own trusted comment whose marker names
 * `session` is edited, else a comment is created; an unchanged body is not re-sent. With `known`, that comment is
 * taken as read instead of listing the issue's comments again. `body` must end with the (sealed) marker of
 * `session`. GitHub API failures propagate as Octokit's `RequestError` (`status`, `response`); the caller decides.
 */
export async function upsertStatusComment(
  octokit: Octokit,
  repo: RepoRef,
  issueNumber: number,
  body: string,
  { session, known, trust }: { session: string; known?: StatusComment | null; trust: StateTrust },
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
      : (await readIssueStatus(octokit, repo, issueNumber, trust)).trusted.find(
          (c) => c.marker.session === session,
        );
  if (!existing) {
    const { data } = await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body });
    return { id: data.id, url: data.html_url, created: true };
  }
  if (existing.body !== body) {
    await octokit.rest.issues.updateComment({ ...repo, comment_id: existing.id, body });
  }
  return { id: existing.id, url: existing.url, created: false };
}
