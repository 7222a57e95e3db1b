import { explainMissing } from '../core/tasks/explain-missing.ts';
import { findTask, listTasks, type TaskSection } from '../core/tasks/find-task.ts';
import { UserError } from './user-error.ts';

/**
 * Task `taskId` of the tasks file `file`, or a `UserError` saying why not: not there (the ids there are, and the lines
 * that mention it with why each was skipped), or marked done without `force`.
 */
export function requireTask(tasksText: string, taskId: string, file: string, force: boolean): TaskSection {
  const task = findTask(tasksText, taskId);
  if (!task) throw taskNotFound(tasksText, taskId, file);
  if (task.done && !force) {
    throw new UserError(
      `task ${taskId} is marked done in ${file} (line ${task.line}: ${firstLine(task.text)}). ` +
        `To run a session for it anyway: \`ipo start ${taskId} --force\``,
    );
  }
  return task;
}

function taskNotFound(tasksText: string, taskId: string, file: string): UserError {
  const misses = explainMissing(tasksText, taskId);
  const known = listTasks(tasksText).map((t) => t.taskId);
  const hints = misses.flatMap((miss) => [`${file}:${miss.line}: ${miss.text}`, `  skipped: ${miss.reason}`]);
  hints.push(
    'ipo reads a task from a heading, list or checklist item, table row or paragraph that opens with its id:',
    '  `## 1.2 Title`, `## Phase 1.2 — Title`, `- [ ] 1.2 Title`, `| 1.2 | Title |`, `Task 1.2: Title`',
    `  (config \`tasks\` in .github/ipo.yml names the file)`,
  );
  return new UserError(
    `task ${taskId} is not in ${file} (tasks there: ${known.join(', ') || 'none'})`,
    1,
    hints,
  );
}

function firstLine(text: string): string {
  return `\`${(text.split('\n')[0] ?? '').trim().slice(0, 100)}\``;
}
