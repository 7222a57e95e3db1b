import { locateTasks } from './locate-tasks.ts';
import { TASK_WORDS } from './parse-task-lead.ts';
import { type MarkdownBlock, type ScannedMarkdown, scanMarkdown } from './scan-markdown.ts';

/** A line that mentions a task id but was not read as that task, and why. */
export interface NearMiss {
  /** 1-based. */
  readonly line: number;
  readonly text: string;
  readonly reason: string;
}

const MAX_NEAR_MISSES = 5;
const SETEXT_UNDERLINE = /^ {0,3}(?:=+|-+)[ \t]*$/;
const WORDS = TASK_WORDS.join('|');

/**
 * The lines that mention `taskId` without being read as it, with the reason each was skipped and what to write
 * instead, nearest first (a heading before a paragraph), at most five: what `ipo start` shows when it finds nothing.
 */
export function explainMissing(markdown: string, taskId: string): NearMiss[] {
  const scanned = scanMarkdown(markdown);
  const known = new Set(locateTasks(scanned).map((t) => t.taskId));
  const id = taskId.replace(/\./g, '\\.');
  const mention = new RegExp(`(?<![\\d.])${id}(?!\\d)(\\.\\d+|[A-Za-z]\\w*)?`);
  const blockAt = new Map(scanned.blocks.map((block) => [block.index, block]));
  const misses: { rank: number; miss: NearMiss }[] = [];
  scanned.lines.forEach((text, index) => {
    const match = mention.exec(text);
    if (!match) return;
    const skipped = whySkipped({
      scanned,
      index,
      block: blockAt.get(index),
      taskId,
      id,
      known,
      suffix: match[1],
    });
    if (skipped)
      misses.push({
        rank: skipped.rank,
        miss: { line: index + 1, text: text.trim().slice(0, 120), reason: skipped.reason },
      });
  });
  return misses
    .sort((a, b) => a.rank - b.rank || a.miss.line - b.miss.line)
    .slice(0, MAX_NEAR_MISSES)
    .map((m) => m.miss);
}

interface Mention {
  scanned: ScannedMarkdown;
  index: number;
  block: MarkdownBlock | undefined;
  taskId: string;
  /** `taskId` escaped for a regular expression. */
  id: string;
  known: ReadonlySet<string>;
  /** What follows the id on the line: `.1` of a sub-task, `a` of `1.2a`. */
  suffix: string | undefined;
}

/** Why a line that mentions the id is not that task, and how near it came (0: nearest); null for another task. */
function whySkipped(m: Mention): { rank: number; reason: string } | null {
  const { scanned, index, block, taskId, id, suffix } = m;
  const text = scanned.lines[index] ?? '';
  if (scanned.code[index])
    return { rank: 3, reason: 'inside a fenced code block, which is never read as a task' };
  if (suffix?.startsWith('.')) {
    if (!m.known.has(`${taskId}${suffix}`)) return null;
    return {
      rank: 2,
      reason: `\`${taskId}${suffix}\` is a sub-task; ${taskId} itself has no heading, item or row`,
    };
  }
  if (suffix)
    return { rank: 1, reason: `\`${taskId}${suffix}\` is not a task id (ids are digits only: X.Y or X.Y.Z)` };
  if (SETEXT_UNDERLINE.test(scanned.lines[index + 1] ?? '') && block?.kind !== 'heading') {
    return {
      rank: 0,
      reason: `an underlined (setext) heading is not read: write it as \`## ${text.trim().slice(0, 60)}\``,
    };
  }
  if (/^ {4}|^\t/.test(text) && (!block || block.kind === 'paragraph')) {
    return {
      rank: 2,
      reason: 'indented four spaces or more, which Markdown reads as code: remove the indent',
    };
  }
  if (!block) {
    return {
      rank: 2,
      reason: `not at the start of a heading, list item, table row or paragraph: make it \`## ${taskId} …\``,
    };
  }
  if (block.kind === 'row') {
    return {
      rank: 1,
      reason: `no cell of the table row starts with the id: give it a cell of its own, \`| ${taskId} | … |\``,
    };
  }
  const opens = new RegExp(`^[\\s*_\`\\[(✅]*(?:(?:${WORDS})\\s+)?[*_\`\\[]*${id}`, 'i');
  if (!opens.test(block.text)) {
    const where = { heading: 'heading', item: 'list item', paragraph: 'paragraph' }[block.kind];
    const rank = block.kind === 'heading' ? 0 : 1;
    return {
      rank,
      reason: `the ${where} does not start with the id: put it first, e.g. \`${exampleFor(block.kind, taskId)}\``,
    };
  }
  // The paragraph opened with the id but had no separator or marker: `1.2 words` reads as a sentence.
  return {
    rank: 1,
    reason: `a plain line that opens with the id is read only with a separator or a marker: \`${taskId}: …\`, \`**${taskId}** …\` or \`## ${taskId} …\``,
  };
}

function exampleFor(kind: 'heading' | 'item' | 'paragraph', taskId: string): string {
  if (kind === 'heading') return `## ${taskId} Title`;
  if (kind === 'item') return `- [ ] ${taskId} Title`;
  return `${taskId}: Title`;
}
