import { parseTaskLead, type TaskLead } from './parse-task-lead.ts';
import type { MarkdownBlock, MarkdownListItem, ScannedMarkdown } from './scan-markdown.ts';

export type TaskShape = 'heading' | 'item' | 'row' | 'paragraph';

/** One place in the file that names a task, with the lines it owns. */
export interface LocatedTask {
  readonly taskId: string;
  readonly title: string;
  readonly shape: TaskShape;
  /** Line index of the heading, item, row or paragraph. */
  readonly start: number;
  /** Line index after the task's own lines. */
  readonly end: number;
  readonly done: boolean;
  /** A table row's header line. */
  readonly headerIndex?: number;
}

// `Status: done`, `**Status:** done (#3)`, `- Status: ✅` … Emphasis and code marks are removed before matching.
const STATUS_DONE = /^\s*(?:[-+*>]\s+)?status\s*[:=—–-]\s*(?:✅|(?:✅\s*)?(?:done|completed?|finished)\b)/i;
// A table cell that says the row's task is done: `done`, `✅ Done`, `[x]`, `completed (#4)`.
const CELL_DONE = /^(?:✅|✔\uFE0F?|☑\uFE0F?|\[[xX]\]|(?:done|completed?|finished|shipped)\b)/iu;

/** Every block of the file that names a task, in line order (a task may appear more than once). */
export function locateTasks(scanned: ScannedMarkdown): LocatedTask[] {
  const { blocks } = scanned;
  const leads = blocks.map((block) => leadOf(block));
  const tasks: LocatedTask[] = [];
  blocks.forEach((block, i) => {
    const found = leads[i];
    if (!found) return;
    const end = endOf(scanned, i, leads);
    // A nested task's status is its own, not its parent's.
    const nested = blocks.findIndex((b, j) => j > i && b.index < end && leads[j]);
    const ownEnd = nested > i ? (blocks[nested]?.index ?? end) : end;
    const done =
      found.lead.doneMark ||
      found.cellDone ||
      (block.kind === 'item' && block.checked === true) ||
      hasDoneStatus(scanned, block.index + 1, ownEnd);
    tasks.push({
      taskId: found.lead.taskId,
      title: found.title,
      shape: shapeOf(block),
      start: block.index,
      end,
      done,
      ...(block.kind === 'row' ? { headerIndex: block.headerIndex } : {}),
    });
  });
  return tasks;
}

interface FoundLead {
  lead: TaskLead;
  title: string;
  cellDone: boolean;
}

/** The task a block names, if it names one: its text, or for a table row its first cell that opens with an id. */
function leadOf(block: MarkdownBlock): FoundLead | null {
  if (block.kind === 'row') {
    const at = block.cells.findIndex((cell) => parseTaskLead(cell) !== null);
    const lead = at >= 0 ? parseTaskLead(block.cells[at] ?? '') : null;
    if (!lead) return null;
    const others = block.cells.filter((_, j) => j !== at).map(plain);
    const title = lead.title || others.find((cell) => cell !== '' && !CELL_DONE.test(cell)) || '';
    return { lead, title, cellDone: others.some((cell) => CELL_DONE.test(cell)) };
  }
  const lead = parseTaskLead(block.text);
  if (!lead) return null;
  // A plain line needs a sign that it names a task: `1.5 times faster` is a sentence, `1.5: Faster` a task.
  if (block.kind === 'paragraph' && !lead.marked && !lead.separated) return null;
  return { lead, title: lead.title, cellDone: false };
}

function shapeOf(block: MarkdownBlock): TaskShape {
  return block.kind === 'item' ? 'item' : block.kind;
}

/** Line index after the lines block `i` owns. */
function endOf(scanned: ScannedMarkdown, i: number, leads: readonly (FoundLead | null)[]): number {
  const { blocks, lines } = scanned;
  const block = blocks[i] as MarkdownBlock;
  const after = blocks.slice(i + 1);
  switch (block.kind) {
    case 'heading':
      return after.find((b) => b.kind === 'heading' && b.level <= block.level)?.index ?? lines.length;
    case 'row':
      return block.index + 1;
    case 'paragraph':
      // Up to the next heading or the next paragraph that opens another task.
      return (
        after.find((b, j) => b.kind === 'heading' || (b.kind === 'paragraph' && leads[i + 1 + j]))?.index ??
        lines.length
      );
    case 'item':
      return itemEnd(scanned, block);
  }
}

/**
 * A list item owns the lines indented deeper than its marker (nested items, continuation paragraphs) and the lazy
 * continuation lines right after it; it ends at a heading, a sibling or outer item, or text after a blank line.
 */
function itemEnd(scanned: ScannedMarkdown, item: MarkdownListItem): number {
  const { lines, code } = scanned;
  let end = item.index + 1;
  let blank = false;
  for (let j = item.index + 1; j < lines.length; j++) {
    const line = lines[j] ?? '';
    if (line.trim() === '') {
      blank = true;
      continue;
    }
    const indent = /^[ \t]*/.exec(line)?.[0].length ?? 0;
    const block = scanned.blocks.find((b) => b.index === j);
    if (block?.kind === 'heading') break;
    if (indent <= item.indent && !code[j]) {
      if (blank || block?.kind === 'item' || block?.kind === 'row') break;
    }
    end = j + 1;
    blank = false;
  }
  return end;
}

function hasDoneStatus(scanned: ScannedMarkdown, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    if (scanned.code[i]) continue;
    if (STATUS_DONE.test(plain(scanned.lines[i] ?? ''))) return true;
  }
  return false;
}

function plain(text: string): string {
  return text.replace(/[*_`~]/g, '').trim();
}
