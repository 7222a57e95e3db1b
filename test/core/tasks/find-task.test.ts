import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findTask, listTasks } from '../../../src/core/tasks/find-task.ts';
import { parseTaskLead } from '../../../src/core/tasks/parse-task-lead.ts';

const ROADMAP = readFileSync(new URL('../../../examples/demo-repo/docs/ROADMAP.md', import.meta.url), 'utf8');

describe('parseTaskLead', () => {
  it.each([
    ['1.3 Median', '1.3', 'Median', false],
    ['1.3 — Median', '1.3', 'Median', false],
    ['1.3 – Median', '1.3', 'Median', false],
    ['1.3: Median', '1.3', 'Median', false],
    ['1.3. Median', '1.3', 'Median', false],
    ['Task 1.3 Median', '1.3', 'Median', false],
    ['task 1.3: Median', '1.3', 'Median', false],
    ['[1.3] Median', '1.3', 'Median', false],
    ['Task [1.3] Median', '1.3', 'Median', false],
    ['1.3 `median`', '1.3', '`median`', false],
    ['1.3', '1.3', '', false],
    ['1.3.1 Even-length lists', '1.3.1', 'Even-length lists', false],
    ['12.30 Later', '12.30', 'Later', false],
    ['✅ 1.3 Median', '1.3', 'Median', true],
    ['1.3 Median ✅', '1.3', 'Median', true],
    ['1.3 ✅ Median', '1.3', 'Median', true],
    ['[x] 1.3 Median', '1.3', 'Median', true],
    ['[X] 1.3 Median', '1.3', 'Median', true],
    ['[ ] 1.3 Median', '1.3', 'Median', false],
    ['1.3 Median [x]', '1.3', 'Median', true],
    ['1.3 Median (done)', '1.3', 'Median', true],
    ['1.3 Median (Done)', '1.3', 'Median', true],
    ['1.3 Median ✔️', '1.3', 'Median', true],
  ])('reads %j as task %s titled %j (done mark: %s)', (text, taskId, title, doneMark) => {
    expect(parseTaskLead(text)).toMatchObject({ taskId, title, doneMark });
  });

  it.each([
    'Milestone 1 — 0.1: central tendency',
    'Roadmap',
    '1 Median',
    '1.3a Median',
    '1.3.1.2 Too deep',
    'v1.3 Median',
    'See 1.3',
    '(1.3) Median',
    '',
  ])('does not read %j as a task heading', (text) => {
    expect(parseTaskLead(text)).toBeNull();
  });
});

describe('findTask', () => {
  const doc = [
    '# Roadmap', //                                  1
    '',
    '## 1 Milestone', //                             3
    '',
    '### 1.3 Median', //                             5
    'Status: open',
    '',
    'Body of 1.3.',
    '',
    '#### Notes', //                                 10
    'A sub-heading that belongs to 1.3.',
    '',
    '#### 1.3.1 Even lists', //                      13
    'Sub-task text.',
    '',
    '```md', //                                      16
    '### 1.4 Not a heading (fenced)',
    '```',
    '',
    '### 1.30 Thirty', //                            20
    'Thirty text.',
    '### 11.3 Eleven', //                            22
    'Eleven text.',
    '## 2 Milestone', //                             24
    '### 2.1 Next',
    'Next text.',
  ].join('\n');

  it.each([
    ['1.3', 5, 'Median', 5, 19],
    ['1.3.1', 13, 'Even lists', 13, 19],
    ['1.30', 20, 'Thirty', 20, 21],
    ['11.3', 22, 'Eleven', 22, 23],
    ['2.1', 25, 'Next', 25, 26],
  ])('finds task %s at line %s titled %j, spanning its lines', (taskId, line, title, from, to) => {
    const expected = doc
      .split('\n')
      .slice(from - 1, to)
      .join('\n')
      .trimEnd();
    expect(findTask(doc, taskId)).toEqual({
      taskId,
      title,
      text: expected,
      line,
      shape: 'heading',
      done: false,
    });
  });

  it.each(['1.4', '1.1', '3.1', '1.3.2'])('returns null for %s, which has no heading outside code', (id) => {
    expect(findTask(doc, id)).toBeNull();
  });

  it('keeps sub-headings and sub-tasks inside the section but stops at the next same-level heading', () => {
    const text = findTask(doc, '1.3')?.text ?? '';
    expect(text).toContain('#### Notes');
    expect(text).toContain('#### 1.3.1 Even lists');
    expect(text).toContain('### 1.4 Not a heading (fenced)');
    expect(text).not.toContain('1.30');
  });

  it('accepts CRLF line endings', () => {
    const crlf = '## 4.2 Windows\r\nStatus: open\r\nText.\r\n## 4.3 Next\r\n';
    expect(findTask(crlf, '4.2')).toEqual({
      taskId: '4.2',
      title: 'Windows',
      text: '## 4.2 Windows\nStatus: open\nText.',
      line: 1,
      shape: 'heading',
      done: false,
    });
  });

  it('finds a task under a closing-hash heading and inside an unclosed fence it finds nothing', () => {
    expect(findTask('## 5.1 Closed ##\ntext', '5.1')?.title).toBe('Closed');
    expect(findTask('~~~\n## 5.1 Fenced\n', '5.1')).toBeNull();
  });

  it.each(['1', 'abc', '1.3 ', ''])('throws for the invalid task id %j', (id) => {
    expect(() => findTask(doc, id)).toThrow(`invalid task id ${JSON.stringify(id)}`);
  });
});

describe('listTasks', () => {
  it.each([
    ['Status: done', true],
    ['Status: done (#3)', true],
    ['**Status:** done', true],
    ['**Status**: Done', true],
    ['- Status: done', true],
    ['* Status: completed', true],
    ['Status: ✅', true],
    ['Status — finished', true],
    ['Status: open', false],
    ['Status: not done', false],
    ['Status: in progress', false],
    ['The status: done deal', false],
    ['```\nStatus: done\n```', false],
  ])('with the line %j under it, a task is done: %s', (statusLine, done) => {
    expect(listTasks(`### 7.1 Thing\n\n${statusLine}\n`)).toEqual([
      { taskId: '7.1', title: 'Thing', line: 1, done },
    ]);
  });

  it("does not take a sub-task's status for its parent's", () => {
    const doc = '### 8.1 Parent\nStatus: open\n#### 8.1.1 Child\nStatus: done\n';
    expect(listTasks(doc)).toEqual([
      { taskId: '8.1', title: 'Parent', line: 1, done: false },
      { taskId: '8.1.1', title: 'Child', line: 3, done: true },
    ]);
  });

  it('takes a done mark on the heading as done', () => {
    expect(listTasks('## ✅ 9.1 Shipped\n## 9.2 Open [ ]\n')).toEqual([
      { taskId: '9.1', title: 'Shipped', line: 1, done: true },
      { taskId: '9.2', title: 'Open', line: 2, done: false },
    ]);
  });
});

describe('the demo roadmap (examples/demo-repo/docs/ROADMAP.md)', () => {
  const lineOf = (prefix: string) => ROADMAP.split('\n').findIndex((l) => l.startsWith(prefix)) + 1;

  it('lists its five tasks with their status lines', () => {
    expect(listTasks(ROADMAP)).toEqual([
      { taskId: '1.1', title: '`sum` and the input rules', line: lineOf('### 1.1'), done: true },
      { taskId: '1.2', title: '`mean`', line: lineOf('### 1.2'), done: true },
      { taskId: '1.3', title: 'Add `median`', line: lineOf('### 1.3'), done: false },
      { taskId: '2.1', title: 'Forgiving `mean`', line: lineOf('### 2.1'), done: false },
      { taskId: '2.2', title: '`variance` and `stdev`', line: lineOf('### 2.2'), done: false },
    ]);
  });

  it('gives the demo task 1.3 its whole section and nothing of milestone 2', () => {
    const task = findTask(ROADMAP, '1.3');
    expect(task?.line).toBe(lineOf('### 1.3'));
    expect(task?.text.startsWith('### 1.3 Add `median`\n')).toBe(true);
    expect(task?.text).toContain('Implement `median(values)` as specified in SPEC §4.');
    expect(task?.text.endsWith('Out of scope: weighted or streaming medians.')).toBe(true);
    expect(task?.text).not.toContain('Milestone 2');
  });

  it('does not take the milestone heading "0.1: central tendency" for a task', () => {
    expect(findTask(ROADMAP, '0.1')).toBeNull();
  });
});
