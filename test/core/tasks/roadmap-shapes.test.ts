import { describe, expect, it } from 'vitest';
import { explainMissing } from '../../../src/core/tasks/explain-missing.ts';
import { findTask, listTasks } from '../../../src/core/tasks/find-task.ts';

// The roadmap shapes found in the wild, each with task 1.2 in it; the issue's own example comes first.
const SHAPES: [string, string, { title: string; shape: string; done: boolean; contains: string[] }][] = [
  [
    'a "Phase" heading with an em dash',
    '# Roadmap\n\n## Phase 1.1 — Count\nDone.\n\n## Phase 1.2 — Top words\nReturn the ten most frequent words.\n\n## Phase 1.3 — Stop words\n',
    { title: 'Top words', shape: 'heading', done: false, contains: ['Return the ten most frequent words.'] },
  ],
  [
    'a "Task" heading with a colon',
    '## Task 1.2: Top words\nBody.\n## Task 1.3: Next\n',
    { title: 'Top words', shape: 'heading', done: false, contains: ['Body.'] },
  ],
  [
    'a "Milestone" heading',
    '### Milestone 1.2 Top words\nBody.\n',
    { title: 'Top words', shape: 'heading', done: false, contains: ['Body.'] },
  ],
  [
    'a bare numbered heading with a trailing dot',
    '## 1.2. Top words\nBody.\n',
    { title: 'Top words', shape: 'heading', done: false, contains: ['Body.'] },
  ],
  [
    'a bracketed heading',
    '## [1.2] Top words\nBody.\n',
    { title: 'Top words', shape: 'heading', done: false, contains: ['Body.'] },
  ],
  [
    'a bold id in a heading',
    '## **1.2** Top words\nBody.\n',
    { title: 'Top words', shape: 'heading', done: false, contains: ['Body.'] },
  ],
  [
    'an open checklist item with nested lines',
    '# Roadmap\n- [x] 1.1 Count words\n- [ ] 1.2 Top words\n  Return the ten most frequent words.\n  - ties broken alphabetically\n- [ ] 1.3 Stop words\n',
    {
      title: 'Top words',
      shape: 'item',
      done: false,
      contains: ['Return the ten most frequent words.', 'ties broken alphabetically'],
    },
  ],
  [
    'a checked checklist item',
    '- [x] 1.2 Top words\n- [ ] 1.3 Stop words\n',
    { title: 'Top words', shape: 'item', done: true, contains: [] },
  ],
  [
    'a numbered list of "Phase" items',
    '1. Phase 1.1: Count\n2. Phase 1.2: Top words\n   Ten most frequent.\n3. Phase 1.3: Stop words\n',
    { title: 'Top words', shape: 'item', done: false, contains: ['Ten most frequent.'] },
  ],
  [
    'a bullet with a bold id',
    '* **1.2** Top words — ten most frequent\n* **1.3** Stop words\n',
    { title: 'Top words — ten most frequent', shape: 'item', done: false, contains: [] },
  ],
  [
    'a table with an id column and a status column',
    '| Task | Title | Status |\n|------|-------|--------|\n| 1.1 | Count | ✅ Done |\n| 1.2 | Top words | open |\n',
    {
      title: 'Top words',
      shape: 'row',
      done: false,
      contains: ['| Task | Title | Status |', '| 1.2 | Top words | open |'],
    },
  ],
  [
    'a table row marked done',
    '| id | what | state |\n| :-- | :-- | :-: |\n| 1.2 | Top words | done |\n',
    { title: 'Top words', shape: 'row', done: true, contains: ['| 1.2 | Top words | done |'] },
  ],
  [
    'a paragraph that opens with the id and a colon',
    'Roadmap\n\n1.1: Count words.\n\n1.2: Top words.\nThe ten most frequent words.\n\n1.3: Stop words.\n',
    { title: 'Top words.', shape: 'paragraph', done: false, contains: ['The ten most frequent words.'] },
  ],
  [
    'a heading marked (done)',
    '## Phase 1.2 — Top words (done)\nBody.\n',
    { title: 'Top words', shape: 'heading', done: true, contains: [] },
  ],
  [
    'a struck-through item',
    '- ~~1.2 Top words~~\n- 1.3 Stop words\n',
    { title: 'Top words', shape: 'item', done: true, contains: [] },
  ],
];

describe('roadmap shapes', () => {
  it.each(SHAPES)('finds task 1.2 in %s', (_name, markdown, expected) => {
    const task = findTask(markdown, '1.2');
    expect(task).toMatchObject({
      taskId: '1.2',
      title: expected.title,
      shape: expected.shape,
      done: expected.done,
    });
    for (const part of expected.contains) expect(task?.text).toContain(part);
    // A task's text never runs into the next task of the same shape.
    expect(task?.text).not.toContain('1.3');
  });

  it('reads an underlined heading that names its task with a word as a paragraph task', () => {
    expect(findTask('Phase 1.2 — Top words\n---------------------\nBody.\n', '1.2')).toMatchObject({
      title: 'Top words',
      shape: 'paragraph',
    });
  });

  it('prefers the heading section when a checklist at the top names the same task, and takes its check as done', () => {
    const markdown =
      '# Roadmap\n- [x] 1.2 Top words\n- [ ] 1.3 Stop words\n\n## 1.2 Top words\nThe whole text.\n';
    expect(findTask(markdown, '1.2')).toMatchObject({ shape: 'heading', done: true, line: 5 });
    expect(findTask(markdown, '1.2')?.text).toContain('The whole text.');
    expect(listTasks(markdown)).toEqual([
      { taskId: '1.2', title: 'Top words', line: 5, done: true },
      { taskId: '1.3', title: 'Stop words', line: 3, done: false },
    ]);
  });

  it.each([
    ['a sentence opening with a number', 'Intro\n\n1.5 times faster than before.\n', '1.5'],
    ['a version in a heading', '## v1.2 Release notes\n', '1.2'],
    ['a task id in a fenced block', '```\n- [ ] 1.2 Top words\n```\n', '1.2'],
    ['an indented code block', 'Intro\n\n    1.2: Top words\n', '1.2'],
    ['a table header cell', '| 1.2 | notes |\n|---|---|\n| a | b |\n', '1.2'],
    ['an id followed by a letter', '## 1.2a Top words\n', '1.2'],
  ])('does not read %s as a task', (_name, markdown, id) => {
    expect(findTask(markdown, id)).toBeNull();
  });
});

describe('explainMissing', () => {
  it.each([
    ['## Top words (1.2)\n', 1, 'the heading does not start with the id: put it first, e.g. `## 1.2 Title`'],
    ['- Top words, see 1.2\n', 1, 'the list item does not start with the id'],
    ['1.2 Top words\n=============\n', 1, 'an underlined (setext) heading is not read'],
    ['```\n## 1.2 Top words\n```\n', 2, 'inside a fenced code block'],
    ['## 1.2a Top words\n', 1, '`1.2a` is not a task id'],
    ['## 1.2.1 Ties\n', 1, '`1.2.1` is a sub-task; 1.2 itself has no heading'],
    ['Intro\n\n    1.2: Top words\n', 3, 'indented four spaces or more'],
    ['Intro\n\n1.2 Top words\n', 3, 'a plain line that opens with the id is read only with a separator'],
  ])('explains why %j holds no task 1.2', (markdown, line, reason) => {
    expect(findTask(markdown, '1.2')).toBeNull();
    const [miss] = explainMissing(markdown, '1.2');
    expect(miss?.line).toBe(line);
    expect(miss?.reason).toContain(reason);
  });

  it('names nothing for an id the file never mentions, and at most five lines, the closest shapes first', () => {
    expect(explainMissing('## 1.3 Other\n', '1.2')).toEqual([]);
    const many = Array.from({ length: 8 }, (_, i) => `See 1.2 in note ${i}.`).join('\n\n');
    const misses = explainMissing(`${many}\n\n## Words (1.2)\n`, '1.2');
    expect(misses).toHaveLength(5);
    expect(misses[0]?.text).toBe('## Words (1.2)');
  });

  it('does not mistake 1.20 or 11.2 for mentions of 1.2', () => {
    expect(explainMissing('## Top (1.20)\n## Next (11.2)\n', '1.2')).toEqual([]);
  });
});
