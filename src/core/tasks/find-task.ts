import { TASK_ID_PATTERN } from '../task-id.ts';
import { parseTaskHeading, type TaskHeading } from './parse-task-heading.ts';
import { type ScannedMarkdown, scanMarkdown } from './scan-markdown.ts';

/** A task's section of the tasks file: what the alignment phase reads as the task text. */
export interface TaskSection {
  readonly taskId: string;
  readonly title: string;
  /** The heading line and everything up to the next heading of the same or a higher level, trimmed at the end. */
  readonly text: string;
  /** 1-based line number of the heading. */
  readonly line: number;
}

/** One task of the tasks file, as `ipo status` and the CLI list them. */
export interface TaskSummary {
  readonly taskId: string;
  readonly title: string;
  readonly line: number;
  readonly done: boolean;
}

// `Status: done`, `**Status:** done (#3)`, `- Status: ✅` … Emphasis and code marks are removed before matching.
const STATUS_DONE = /^\s*(?:[-+>]\s+)?status\s*[:=—–-]\s*(?:✅|(?:✅\s*)?(?:done|completed?|finished)\b)/i;

/**
 * The section of the first heading whose text starts with `taskId`, or null when there is none. Headings in
 * fenced code are ignored; sub-headings (and sub-tasks like `1.3.1` under `1.3`) belong to the section.
 */
export function findTask(markdown: string, taskId: string): TaskSection | null {
  if (!TASK_ID_PATTERN.test(taskId)) throw new Error(`invalid task id ${JSON.stringify(taskId)}`);
  const scanned = scanMarkdown(markdown);
  const task = taskHeadings(scanned).find((t) => t.heading.taskId === taskId);
  if (task === undefined) return null;
  const text = scanned.lines.slice(task.start, task.end).join('\n').trimEnd();
  return { taskId, title: task.heading.title, text, line: task.start + 1 };
}

/** Every task heading of the file in order, with whether the task is marked done. */
export function listTasks(markdown: string): TaskSummary[] {
  const scanned = scanMarkdown(markdown);
  return taskHeadings(scanned).map((task) => ({
    taskId: task.heading.taskId,
    title: task.heading.title,
    line: task.start + 1,
    done: task.heading.doneMark || hasDoneStatus(scanned, task.start + 1, task.ownEnd),
  }));
}

interface LocatedTask {
  readonly heading: TaskHeading;
  /** Line index of the heading. */
  readonly start: number;
  /** Line index after the section. */
  readonly end: number;
  /** Line index of the first nested task heading (or `end`): a sub-task's status is not its parent's. */
  readonly ownEnd: number;
}

function taskHeadings(scanned: ScannedMarkdown): LocatedTask[] {
  const { headings, lines } = scanned;
  const parsed = headings.map((h) => parseTaskHeading(h.text));
  const tasks: LocatedTask[] = [];
  headings.forEach((h, i) => {
    const heading = parsed[i];
    if (!heading) return;
    const after = headings.slice(i + 1);
    const end = after.find((next) => next.level <= h.level)?.index ?? lines.length;
    const nestedTask = after.find((next, j) => next.index < end && parsed[i + 1 + j]);
    tasks.push({ heading, start: h.index, end, ownEnd: nestedTask?.index ?? end });
  });
  return tasks;
}

function hasDoneStatus(scanned: ScannedMarkdown, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    if (scanned.code[i]) continue;
    const plain = (scanned.lines[i] ?? '').replace(/[*_`]/g, '');
    if (STATUS_DONE.test(plain)) return true;
  }
  return false;
}
