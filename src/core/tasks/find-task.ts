import { TASK_ID_PATTERN } from '../task-id.ts';
import { type LocatedTask, locateTasks, type TaskShape } from './locate-tasks.ts';
import { scanMarkdown } from './scan-markdown.ts';

export type { TaskShape } from './locate-tasks.ts';

/** A task's section of the tasks file: what the alignment phase reads as the task text. */
export interface TaskSection {
  readonly taskId: string;
  readonly title: string;
  /** The task's own lines: a heading and everything up to the next heading of its level, a list item with its nested lines, a table row under its header. */
  readonly text: string;
  /** 1-based line number of the heading, item, row or paragraph. */
  readonly line: number;
  readonly shape: TaskShape;
  /** Marked done anywhere in the file: a checked box, ✅, `(done)`, strike-through, a `Status: done` line, a done table cell. */
  readonly done: boolean;
}

/** One task of the tasks file, as `ipo status` and the CLI list them. */
export interface TaskSummary {
  readonly taskId: string;
  readonly title: string;
  readonly line: number;
  readonly done: boolean;
}

/** Which shape wins when a task appears more than once (a checklist at the top, a section below): the richest text. */
const PREFERENCE: readonly TaskShape[] = ['heading', 'item', 'paragraph', 'row'];

/**
 * The section of task `taskId`, or null when the file has none. Headings (`## 1.3 …`, `## Phase 1.3 — …`), list
 * items and checklists (`- [ ] 1.3 …`), table rows (`| 1.3 | … |`) and paragraphs that open with a marked id
 * (`**1.3** …`, `Task 1.3: …`) are read; fenced code never. When the id appears in several shapes the heading wins.
 */
export function findTask(markdown: string, taskId: string): TaskSection | null {
  if (!TASK_ID_PATTERN.test(taskId)) throw new Error(`invalid task id ${JSON.stringify(taskId)}`);
  const scanned = scanMarkdown(markdown);
  const all = locateTasks(scanned).filter((t) => t.taskId === taskId);
  const best = preferred(all);
  if (!best) return null;
  const text = scanned.lines.slice(best.start, best.end).join('\n').trimEnd();
  return {
    taskId,
    title: best.title,
    text: best.shape === 'row' ? tableText(scanned.lines, best) : text,
    line: best.start + 1,
    shape: best.shape,
    done: all.some((t) => t.done),
  };
}

/** Every task of the file once, in the order they first appear, with whether it is marked done anywhere. */
export function listTasks(markdown: string): TaskSummary[] {
  const located = locateTasks(scanMarkdown(markdown));
  const ids = [...new Set(located.map((t) => t.taskId))];
  return ids.map((taskId) => {
    const all = located.filter((t) => t.taskId === taskId);
    const best = preferred(all) as LocatedTask;
    return { taskId, title: best.title, line: best.start + 1, done: all.some((t) => t.done) };
  });
}

function preferred(tasks: readonly LocatedTask[]): LocatedTask | undefined {
  for (const shape of PREFERENCE) {
    const found = tasks.find((t) => t.shape === shape);
    if (found) return found;
  }
  return undefined;
}

/** A table row's task text: the header, so the reader knows what each cell means, then the row. */
function tableText(lines: readonly string[], task: LocatedTask): string {
  const header = task.headerIndex ?? task.start;
  return [lines[header], lines[header + 1], lines[task.start]].join('\n');
}
