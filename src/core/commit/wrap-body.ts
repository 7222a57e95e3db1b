/** Column limit of a commit body (git's convention: readable in an 80-column terminal with `git log`'s indent). */
export const BODY_WIDTH = 72;

// Lines whose layout carries meaning: list items, tables, headings, quotes and anything indented.
const KEEP_AS_IS = /^(?:\s|[-*+]\s|\d+[.)]\s|\||#{1,6}\s|>)/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Wraps a commit body at `width` columns. Only over-long prose lines are wrapped, each on its own: the author's
 * line breaks are kept (a summary is usually one paragraph per line), and so are fenced code, list items, tables
 * and indented lines. A word longer than the width stays whole. Runs of blank lines collapse to one.
 */
export function wrapBody(body: string, width = BODY_WIDTH): string {
  const out: string[] = [];
  let fence: string | null = null;
  for (const raw of body.split(/\r\n|\r|\n/)) {
    const line = raw.trimEnd();
    const marker = FENCE.exec(line)?.[1];
    if (fence !== null) {
      if (
        marker !== undefined &&
        marker[0] === fence[0] &&
        marker.length >= fence.length &&
        line.trim() === marker
      ) {
        fence = null;
      }
      out.push(raw);
    } else if (marker !== undefined) {
      fence = marker;
      out.push(line);
    } else if (line === '') {
      if (out.length > 0 && out.at(-1) !== '') out.push('');
    } else if (KEEP_AS_IS.test(line) || line.length <= width) {
      out.push(line);
    } else {
      out.push(...wrapLine(line, width));
    }
  }
  while (out.at(-1) === '') out.pop();
  return out.join('\n');
}

function wrapLine(line: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of line.split(/\s+/)) {
    if (current !== '' && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else {
      current = current === '' ? word : `${current} ${word}`;
    }
  }
  if (current !== '') lines.push(current);
  return lines;
}
