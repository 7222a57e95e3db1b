import { closesFence, type Fence, openFence } from '../markdown-fence.ts';
import { codeSpanLines } from './code-span-lines.ts';

/** One source line of a comment, classified the way GitHub renders it. */
export interface ProseLine {
  /** What a reader sees of the line (HTML comments cut out); '' for a hidden line. */
  readonly text: string;
  /** Inside a block quote, fenced or indented code, or an HTML comment: never a command, never feedback. */
  readonly hidden: boolean;
  /** Touched by an inline code span: never a command, but kept as feedback text. */
  readonly inlineCode: boolean;
  /**
   * A quote's lazy continuation: a line without `>` right after a quoted paragraph line, which GitHub renders
   * inside the quote. Hidden; `text` keeps the line so a caller can explain why it did not count.
   */
  readonly lazyQuote: boolean;
}

type Previous = 'blank' | 'paragraph' | 'quote' | 'block';

const HIDDEN: ProseLine = { text: '', hidden: true, inlineCode: false, lazyQuote: false };
const QUOTE = /^ {0,3}>/;
const QUOTE_MARKERS = /^(?: {0,3}> ?)+/;

/**
 * Splits a comment (LF, CRLF or CR) into lines and marks what is not prose: block quotes (with lazy
 * continuation), fenced code (``` and ~~~, unclosed runs to the end), indented code, HTML comments (possibly
 * multi-line) and inline code spans. A line-level approximation of CommonMark that errs towards "not prose".
 */
export function proseLines(body: string): ProseLine[] {
  const out: ProseLine[] = [];
  let fence: Fence | null = null;
  let inComment = false;
  let previous: Previous = 'blank';
  for (const raw of body.split(/\r\n|\r|\n/)) {
    if (fence !== null) {
      if (closesFence(raw, fence)) {
        fence = null;
        previous = 'block';
      }
      out.push(HIDDEN);
      continue;
    }
    let line = raw;
    if (inComment) {
      const end = raw.indexOf('-->');
      if (end === -1) {
        out.push(HIDDEN);
        continue;
      }
      // The text after a comment closes is visible, but it is mid-line: no block syntax applies to it.
      line = raw.slice(end + 3);
    } else if (raw.trim() === '') {
      out.push({ ...HIDDEN, hidden: false });
      previous = 'blank';
      continue;
    } else {
      const block = blockKind(raw, previous);
      if (block !== null) {
        if (block === 'fence') fence = openFence(raw);
        out.push(block === 'lazy' ? { ...HIDDEN, text: raw, lazyQuote: true } : HIDDEN);
        previous = block === 'lazy' || (block === 'quote' && quoteHasText(raw)) ? 'quote' : 'block';
        continue;
      }
    }
    const visible = cutComments(line);
    inComment = visible.open;
    if (visible.text.trim() === '') {
      out.push(HIDDEN);
      previous = 'block';
      continue;
    }
    out.push({ text: visible.text, hidden: false, inlineCode: false, lazyQuote: false });
    previous = 'paragraph';
  }
  return markCodeSpans(out);
}

/** The block a non-blank line at line start belongs to, or null when it is paragraph text. */
function blockKind(raw: string, previous: Previous): 'fence' | 'quote' | 'lazy' | 'code' | null {
  if (indentWidth(raw) >= 4) {
    // Indented code cannot interrupt a paragraph: after text the line continues it (or the quote it is in).
    if (previous === 'paragraph') return null;
    return previous === 'quote' ? 'lazy' : 'code';
  }
  if (openFence(raw)) return 'fence';
  if (QUOTE.test(raw)) return 'quote';
  return previous === 'quote' ? 'lazy' : null;
}

function indentWidth(line: string): number {
  let width = 0;
  for (const char of line) {
    if (char === ' ') width++;
    else if (char === '\t') width += 4 - (width % 4);
    else break;
  }
  return width;
}

function quoteHasText(raw: string): boolean {
  return raw.replace(QUOTE_MARKERS, '').trim() !== '';
}

/** Cuts `<!-- … -->` out of a line; `open` when a comment starts here and runs past the line. */
function cutComments(line: string): { text: string; open: boolean } {
  let text = '';
  let i = 0;
  for (;;) {
    const start = line.indexOf('<!--', i);
    if (start === -1) return { text: text + line.slice(i), open: false };
    const tick = line.indexOf('`', i);
    if (tick !== -1 && tick < start) {
      // Inside a code span `<!--` is literal: step over a span that closes on this line.
      const length = runLength(line, tick);
      const close = findRun(line, tick + length, length);
      const next = close === -1 ? tick + length : close + length;
      text += line.slice(i, next);
      i = next;
      continue;
    }
    text += line.slice(i, start);
    const end = commentEnd(line, start);
    if (end === -1) return { text, open: true };
    i = end;
  }
}

function commentEnd(line: string, start: number): number {
  // CommonMark 0.31 counts `<!-->` and `<!--->` as complete (empty) comments.
  if (line.startsWith('>', start + 4)) return start + 5;
  if (line.startsWith('->', start + 4)) return start + 6;
  const end = line.indexOf('-->', start + 4);
  return end === -1 ? -1 : end + 3;
}

function runLength(text: string, at: number): number {
  let end = at;
  while (text[end] === '`') end++;
  return end - at;
}

function findRun(text: string, from: number, length: number): number {
  let at = text.indexOf('`', from);
  while (at !== -1) {
    const run = runLength(text, at);
    if (run === length) return at;
    at = text.indexOf('`', at + run);
  }
  return -1;
}

/** Marks lines touched by inline code, paragraph by paragraph (spans never cross a blank or hidden line). */
function markCodeSpans(lines: ProseLine[]): ProseLine[] {
  const out = [...lines];
  let start = 0;
  while (start < out.length) {
    if (!isText(out[start])) {
      start++;
      continue;
    }
    let end = start;
    while (end < out.length && isText(out[end])) end++;
    const paragraph = out.slice(start, end);
    codeSpanLines(paragraph.map((line) => line.text)).forEach((touched, offset) => {
      const line = paragraph[offset];
      if (touched && line !== undefined) out[start + offset] = { ...line, inlineCode: true };
    });
    start = end;
  }
  return out;
}

function isText(line: ProseLine | undefined): boolean {
  return line !== undefined && !line.hidden && line.text.trim() !== '';
}
