import { terminalSafe, truncate } from './format.ts';

/*
 * Markdown building blocks for what ipo posts on GitHub (comments, job summaries): the one escaping rule of every
 * GitHub surface. Text that a model, a person or a command wrote is untrusted (task titles, errors, reasons,
 * logins, branch names): it goes through `inline`, `codeSpan` or `codeBlock` so it cannot open HTML (a forged
 * status marker, an image), break a table, hide with bidi controls, or notify people.
 */

// Punctuation that starts inline markup or raw HTML in GitHub-flavoured markdown. `|` is a table cell's job.
const INLINE_SPECIAL = /[\\`*_[\]<>#~!&]/g;

// GitHub turns `@login` into a mention wherever it shows as prose (code is left alone), and "people will also
// receive a notification if you edit a comment to mention their username" — the sticky comment is edited at every
// gate (https://docs.github.com/en/get-started/writing-on-github/getting-started-with-writing-and-formatting-on-github/basic-writing-and-formatting-syntax#mentioning-people-and-teams).
// `#123` likewise links and cross-references that issue. A backslash escape does not help (it is gone once the
// text is rendered); an invisible word joiner after the sign keeps the name from being read as one.
const REFERENCE = /(@(?=[\p{L}\p{N}])|\\#(?=\p{N}))/gu;
const WORD_JOINER = '\u2060';

/** One line of untrusted text as literal markdown: controls removed, newlines as spaces, markup escaped, no pings. */
export function inline(text: string): string {
  return oneLine(text)
    .replace(INLINE_SPECIAL, (char) => (char === '&' ? '&amp;' : `\\${char}`))
    .replace(REFERENCE, `$1${WORD_JOINER}`);
}

/** `text` as an inline code span on one line, with a fence longer than any backtick run inside it. */
export function codeSpan(text: string): string {
  const body = oneLine(text);
  const fence = '`'.repeat(longestRun(body, '`') + 1);
  // A span that starts or ends with a backtick needs a space so the fence stays apart from it.
  const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** `text` as a fenced code block whose fence no line inside can close. */
export function codeBlock(text: string, info = ''): string[] {
  const body = terminalSafe(text).replace(/\n+$/, '');
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  return [`${fence}${info}`, ...body.split('\n'), fence];
}

/** The first `lines` non-blank lines of `text`, each cut to `width`, as a code block with a note of what was left. */
export function excerptBlock(text: string, { lines = 6, width = 200 } = {}): string[] {
  const all = terminalSafe(text)
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '');
  const shown = all.slice(0, lines).map((line) => truncate(line, width));
  const rest = all.length - shown.length;
  const block = codeBlock(shown.length > 0 ? shown.join('\n') : 'no reason was recorded', 'text');
  return rest > 0 ? [...block, `… ${rest} more line${rest === 1 ? '' : 's'}`] : block;
}

export type Align = 'left' | 'right' | 'center';

/** A GFM table; cells are markdown already (escape untrusted text first), their pipes are escaped here. */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align?: Align[],
): string[] {
  const rule = header.map((_, i) => {
    const a = align?.[i] ?? 'left';
    return a === 'right' ? '---:' : a === 'center' ? ':---:' : '---';
  });
  return [header, rule, ...rows].map((cells) => `| ${cells.map(tableCell).join(' | ')} |`);
}

/** A cell's content: GFM splits rows on every unescaped pipe, even inside code spans. */
function tableCell(markdown: string): string {
  return markdown.replace(/\r?\n/g, ' ').replaceAll('|', '\\|');
}

function oneLine(text: string): string {
  return terminalSafe(text)
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let current = 0;
  for (const c of text) {
    current = c === char ? current + 1 : 0;
    longest = Math.max(longest, current);
  }
  return longest;
}
