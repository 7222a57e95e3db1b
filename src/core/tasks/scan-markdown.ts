import { closesFence, type Fence, openFence } from '../markdown-fence.ts';

/** An ATX heading (`#` … `######`) found outside fenced code. */
export interface MarkdownHeading {
  readonly kind: 'heading';
  /** 0-based index into `lines`. */
  readonly index: number;
  readonly level: number;
  /** Heading text without the `#` markers and without an optional closing `#` sequence. */
  readonly text: string;
}

/** A list item (`-`, `*`, `+`, `1.`, `1)`), with its checkbox when it has one. */
export interface MarkdownListItem {
  readonly kind: 'item';
  readonly index: number;
  /** Columns before the list marker: an item's own lines are the ones indented further. */
  readonly indent: number;
  readonly checked?: boolean;
  /** The item's text after the marker and the checkbox. */
  readonly text: string;
}

/** A body row of a pipe table, with its table's header and delimiter lines. */
export interface MarkdownTableRow {
  readonly kind: 'row';
  readonly index: number;
  readonly cells: readonly string[];
  /** Line index of the table's header row. */
  readonly headerIndex: number;
}

/** The first line of a paragraph (after a blank line, a heading or the start), outside lists and tables. */
export interface MarkdownParagraph {
  readonly kind: 'paragraph';
  readonly index: number;
  readonly text: string;
}

export type MarkdownBlock = MarkdownHeading | MarkdownListItem | MarkdownTableRow | MarkdownParagraph;

export interface ScannedMarkdown {
  readonly lines: readonly string[];
  /** Per line: part of a fenced code block (fence lines included), where nothing is a heading or a status. */
  readonly code: readonly boolean[];
  readonly headings: readonly MarkdownHeading[];
  /** Every heading, list item, table row and paragraph start, in line order. */
  readonly blocks: readonly MarkdownBlock[];
}

// Up to three spaces of indent: four make an indented code block, not a heading (CommonMark).
const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/;
const CLOSING_SEQUENCE = /(?:^|[ \t]+)#+$/;
// `1.2 Title` is not an ordered item: the marker's `.` or `)` must be followed by a space (CommonMark).
const LIST_ITEM = /^([ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[([ xX])\][ \t]+)?(.*)$/;
const TABLE_DELIMITER = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

/**
 * Splits markdown (LF, CRLF or CR) into lines and finds the blocks a task can start: ATX headings, list items
 * (checkboxes included), pipe-table rows and paragraph starts, skipping fenced code (``` and ~~~; an unclosed
 * fence runs to the end). Setext headings (underlined with `===`/`---`) are not read as headings: task files use
 * `#` headings, and a `---` under a paragraph is far more often meant as a rule.
 */
export function scanMarkdown(markdown: string): ScannedMarkdown {
  const lines = markdown.split(/\r\n|\r|\n/);
  const code: boolean[] = [];
  const headings: MarkdownHeading[] = [];
  const blocks: MarkdownBlock[] = [];
  let fence: Fence | null = null;
  let tableHeader: number | null = null;
  let previousBlank = true;
  lines.forEach((line, index) => {
    const inFence = fence !== null;
    if (fence !== null) {
      if (closesFence(line, fence)) fence = null;
    } else {
      fence = openFence(line);
    }
    code.push(inFence || fence !== null);
    if (inFence || fence !== null) {
      tableHeader = null;
      previousBlank = false;
      return;
    }
    const blank = line.trim() === '';
    if (tableHeader !== null && (blank || !line.includes('|'))) tableHeader = null;
    let block: MarkdownBlock | null = null;
    if (tableHeader !== null) {
      // The delimiter row right after the header names nothing; every later row is a body row.
      if (index > tableHeader + 1)
        block = { kind: 'row', index, cells: splitRow(line), headerIndex: tableHeader };
    } else if (isTableStart(lines, index)) {
      tableHeader = index; // a header row: its cells name columns, not tasks
    } else if (!blank) {
      block = readBlock(line, index, previousBlank);
    }
    if (block?.kind === 'heading') headings.push(block);
    if (block) blocks.push(block);
    previousBlank = blank || block?.kind === 'heading';
  });
  return { lines, code, headings, blocks };
}

/** The heading, list item or paragraph start `line` is, outside code and tables. */
function readBlock(line: string, index: number, previousBlank: boolean): MarkdownBlock | null {
  const heading = ATX_HEADING.exec(line);
  if (heading) {
    const text = (heading[2] ?? '').replace(CLOSING_SEQUENCE, '').trim();
    return { kind: 'heading', index, level: heading[1]?.length ?? 1, text };
  }
  const item = LIST_ITEM.exec(line);
  if (item) {
    const box = item[2];
    return {
      kind: 'item',
      index,
      indent: columns(item[1] ?? ''),
      ...(box === undefined ? {} : { checked: box !== ' ' }),
      text: (item[3] ?? '').trim(),
    };
  }
  // Four spaces of indent outside a list make indented code (CommonMark).
  if (previousBlank && !/^ {4}|^\t/.test(line)) return { kind: 'paragraph', index, text: line.trim() };
  return null;
}

/** Whether the line starts a pipe table: it has a `|` and the next line is a delimiter row (`|---|:-:|`). */
function isTableStart(lines: readonly string[], index: number): boolean {
  const line = lines[index] ?? '';
  const next = lines[index + 1] ?? '';
  return line.includes('|') && next.includes('-') && TABLE_DELIMITER.test(next);
}

/** A row's cells, without the outer pipes; `\|` stays inside its cell. */
export function splitRow(line: string): string[] {
  const trimmed = line
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '');
  return trimmed.split(/(?<!\\)\|/).map((cell) => cell.trim());
}

/** Indent width with tabs to the next multiple of 4 (CommonMark). */
function columns(indent: string): number {
  let width = 0;
  for (const ch of indent) width = ch === '\t' ? width + 4 - (width % 4) : width + 1;
  return width;
}
