import { readMarkerLine } from '../../src/github/status-marker.ts';
import { terminalSafe, truncate } from '../../src/report/format.ts';
import type { CommentRecord } from '../../test/support/github/github-state.ts';

const MAX_LINES = 20;
const MAX_COLUMNS = 110;
// `[text](url)` → `text`: the URLs point at the local GitHub's web pages, which nobody opens from here.
const LINK = /\[([^\]\n]*)\]\([^()\s]*\)/g;

/** A comment as the sandbox lists it; `change` marks what happened since the last look. */
export interface ListedComment {
  comment: CommentRecord;
  change?: 'new' | 'edited';
}

/** Comments newest last: `#id author [status] (new|edited)`, then the shortened body indented. */
export function renderComments(listed: readonly ListedComment[]): string {
  if (listed.length === 0) return '(no comments)';
  return listed
    .map(({ comment, change }) => {
      const status = readMarkerLine(comment.body).kind !== 'none' ? ' [status comment]' : '';
      const mark = change ? ` (${change})` : '';
      const body = shortBody(comment.body)
        .map((line) => (line === '' ? '' : `    ${line}`))
        .join('\n');
      return `#${comment.id} ${comment.user}${status}${mark}\n${body}`;
    })
    .join('\n');
}

/**
 * The body as a terminal should show it: the status marker dropped (a line of JSON no person reads on GitHub
 * either), runs of blank lines folded, long lines and long bodies cut.
 */
export function shortBody(body: string): string[] {
  let lines = terminalSafe(body).split('\n');
  // Any marker line, readable or not (another version, an edited one): it is JSON for ipo, never for a person.
  if (readMarkerLine(body).kind !== 'none') {
    while (lines.length > 0 && (lines.at(-1) ?? '').trim() === '') lines.pop();
    lines = lines.slice(0, -1);
  }
  const folded = lines
    .map((line) => line.replace(LINK, '$1').trimEnd())
    .filter((line, i, all) => line !== '' || (i > 0 && all[i - 1] !== ''))
    // Table rows keep one line each (cut); prose wraps, so a refusal's reason is read whole.
    .flatMap((line) => (line.startsWith('|') ? [truncate(line, MAX_COLUMNS)] : wrap(line, MAX_COLUMNS)));
  while (folded.length > 0 && folded.at(-1) === '') folded.pop();
  const shown = folded.slice(0, MAX_LINES);
  const hidden = folded.length - shown.length;
  if (hidden > 0) shown.push(`… (${hidden} more line${hidden === 1 ? '' : 's'})`);
  return shown.length > 0 ? shown : ['(empty)'];
}

/** `line` broken at spaces into lines of at most `width` columns (a longer word gets a line of its own). */
export function wrap(line: string, width: number): string[] {
  if ([...line].length <= width) return [line];
  const out: string[] = [];
  let current = '';
  for (const word of line.split(' ')) {
    if (current !== '' && [...current].length + 1 + [...word].length > width) {
      out.push(current);
      current = word;
    } else {
      current = current === '' ? word : `${current} ${word}`;
    }
  }
  out.push(current);
  return out;
}

/** Comments that appeared or changed since `before` (comment id → body), in posting order. */
export function changedSince(
  comments: readonly CommentRecord[],
  before: ReadonlyMap<number, string>,
): ListedComment[] {
  return comments.flatMap((comment): ListedComment[] => {
    const seen = before.get(comment.id);
    if (seen === undefined) return [{ comment, change: 'new' }];
    return seen === comment.body ? [] : [{ comment, change: 'edited' }];
  });
}
