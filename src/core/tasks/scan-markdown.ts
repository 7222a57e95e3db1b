import { closesFence, type Fence, openFence } from '../markdown-fence.ts';

/** An ATX heading (`#` … `######`) found outside fenced code. */
export interface MarkdownHeading {
  /** 0-based index into `lines`. */
  readonly index: number;
  readonly level: number;
  /** Heading text without the `#` markers and without an optional closing `#` sequence. */
  readonly text: string;
}

export interface ScannedMarkdown {
  readonly lines: readonly string[];
  /** Per line: part of a fenced code block (fence lines included), where nothing is a heading or a status. */
  readonly code: readonly boolean[];
  readonly headings: readonly MarkdownHeading[];
}

// Up to three spaces of indent: four make an indented code block, not a heading (CommonMark).
const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/;
const CLOSING_SEQUENCE = /(?:^|[ \t]+)#+$/;

/**
 * Splits markdown (LF, CRLF or CR) into lines and finds its ATX headings, skipping fenced code (``` and ~~~; an
 * unclosed fence runs to the end). Setext headings (underlined with `===`/`---`) are not recognised: task files
 * use `#` headings, and a `---` under a paragraph is far more often meant as a rule.
 */
export function scanMarkdown(markdown: string): ScannedMarkdown {
  const lines = markdown.split(/\r\n|\r|\n/);
  const code: boolean[] = [];
  const headings: MarkdownHeading[] = [];
  let fence: Fence | null = null;
  lines.forEach((line, index) => {
    if (fence !== null) {
      code.push(true);
      if (closesFence(line, fence)) fence = null;
      return;
    }
    const open = openFence(line);
    if (open) {
      fence = open;
      code.push(true);
      return;
    }
    code.push(false);
    const heading = ATX_HEADING.exec(line);
    if (heading) {
      const text = (heading[2] ?? '').replace(CLOSING_SEQUENCE, '').trim();
      headings.push({ index, level: heading[1]?.length ?? 1, text });
    }
  });
  return { lines, code, headings };
}
