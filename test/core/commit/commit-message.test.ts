import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildCommitMessage,
  type CommitTrailersInput,
  commitTrailers,
} from '../../../src/core/commit/commit-message.ts';
import { wrapBody } from '../../../src/core/commit/wrap-body.ts';

const dir = mkdtempSync(join(tmpdir(), 'ipo-commit-message-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What git itself reads as the message's trailers, with no user or system config in play. */
function gitTrailers(message: string): string[] {
  const file = join(dir, 'message.txt');
  writeFileSync(file, message);
  const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
  const out = execFileSync('git', ['interpret-trailers', '--parse', file], {
    cwd: dir,
    env,
    encoding: 'utf8',
  });
  return out.split('\n').filter((line) => line !== '');
}

const firstLine = (message: string) => message.split('\n')[0];

describe('buildCommitMessage: the first line', () => {
  it.each([
    ['feat', 'median', 'Implement median', 'feat(median): implement median'],
    ['fix', undefined, '  Handle empty lists.  ', 'fix: handle empty lists'],
    ['fix', '', 'handle empty lists...', 'fix: handle empty lists'],
    ['feat', ' core ', 'Add median', 'feat(core): add median'],
    ['feat', 'api', 'API: accept null samples', 'feat(api): API: accept null samples'],
    ['feat', 'agent', 'TailBuffer keeps whole characters', 'feat(agent): TailBuffer keeps whole characters'],
    ['docs', undefined, 'README.md explains the demo', 'docs: README.md explains the demo'],
    ['chore', undefined, 'GitHub wiring', 'chore: GitHub wiring'],
    ['feat', undefined, 'Add\nmedian\tfor lists', 'feat: add median for lists'],
    ['feat', 'median', 'feat(median): Add median', 'feat(median): add median'],
    ['feat', undefined, 'feat: add median', 'feat: add median'],
    ['feat', undefined, 'fix: wording', 'feat: fix: wording'],
  ])('%s(%s) with %j starts with %j', (type, scope, subject, expected) => {
    const message = buildCommitMessage({ type, scope, subject, trailers: [] });
    expect(message).toBe(`${expected}\n`);
  });

  it.each([
    [
      'feat',
      'median',
      'Implement median for odd and even length lists, sorting numerically and leaving the input unchanged',
      'feat(median): implement median for odd and even length lists, sorting…',
    ],
    ['fix', undefined, `Handle ${'x'.repeat(100)}`, `fix: handle ${'x'.repeat(59)}…`],
    ['feat', 'median', `Add ${'y'.repeat(54)}`, `feat(median): add ${'y'.repeat(54)}`],
    ['feat', 'median', `Add ${'y'.repeat(55)}`, `feat(median): add ${'y'.repeat(53)}…`],
    ['feat', undefined, `Add ${'é'.repeat(70)}`, `feat: add ${'é'.repeat(61)}…`],
  ])('fits %s(%s) %j into 72 characters as %j', (type, scope, subject, expected) => {
    const header = firstLine(buildCommitMessage({ type, scope, subject, trailers: [] })) ?? '';
    expect(header).toBe(expected);
    expect(Array.from(header).length).toBeLessThanOrEqual(72);
  });

  it.each([
    [{ type: 'Feat', subject: 'x' }, 'invalid commit type "Feat"'],
    [{ type: 'feat!', subject: 'x' }, 'invalid commit type "feat!"'],
    [{ type: 'feat', scope: 'a(b)', subject: 'x' }, 'invalid commit scope "a(b)"'],
    [{ type: 'feat', scope: 'two words', subject: 'x' }, 'invalid commit scope "two words"'],
    [{ type: 'feat', subject: ' . ' }, 'commit subject is empty'],
    [{ type: 'feat', scope: 'x'.repeat(60), subject: 'x' }, 'are too long'],
  ])('throws for %j', (input, message) => {
    expect(() => buildCommitMessage({ ...input, trailers: [] })).toThrow(message);
  });
});

describe('buildCommitMessage: body and trailers', () => {
  it('joins header, wrapped body and trailers with blank lines and ends with a newline', () => {
    const message = buildCommitMessage({
      type: 'feat',
      scope: 'median',
      subject: 'implement median',
      body: `\n\n${'word '.repeat(20).trim()}\n\n\n\n- a list item that is long enough to pass the seventy-two column limit, kept\n\n`,
      trailers: [{ key: 'Ipo-Task', value: '1.3' }],
    });
    expect(message).toBe(
      [
        'feat(median): implement median',
        '',
        'word word word word word word word word word word word word word word',
        'word word word word word word',
        '',
        '- a list item that is long enough to pass the seventy-two column limit, kept',
        '',
        'Ipo-Task: 1.3',
        '',
      ].join('\n'),
    );
  });

  it.each([
    [{ key: 'Signed-off-by', value: 'Alice <a@example.com>' }, 'refusing to add Signed-off-by'],
    [{ key: 'signed-off-by', value: 'Alice <a@example.com>' }, 'refusing to add Signed-off-by'],
    [{ key: 'Bad Key', value: 'x' }, 'invalid trailer key "Bad Key"'],
    [{ key: 'Ipo-Task', value: ' \n ' }, 'trailer Ipo-Task has an empty value'],
  ])('throws for the trailer %j', (trailer, message) => {
    expect(() => buildCommitMessage({ type: 'feat', subject: 'x', trailers: [trailer] })).toThrow(message);
  });

  it('makes multi-line trailer values single-line', () => {
    const message = buildCommitMessage({
      type: 'feat',
      subject: 'x',
      trailers: [{ key: 'Approved-by', value: 'alice\n(proceed to\r\ncommit)' }],
    });
    expect(message.endsWith('\n\nApproved-by: alice (proceed to commit)\n')).toBe(true);
  });
});

describe('wrapBody', () => {
  it.each([
    ['short line', 'short line'],
    [`${'a '.repeat(40).trim()}`, `${'a '.repeat(36).trim()}\n${'a '.repeat(4).trim()}`],
    [`see ${'u'.repeat(80)} here`, `see\n${'u'.repeat(80)}\nhere`],
    [`    ${'indented code '.repeat(8)}`.trimEnd(), `    ${'indented code '.repeat(8)}`.trimEnd()],
    [`| ${'cell | '.repeat(15)}`.trimEnd(), `| ${'cell | '.repeat(15)}`.trimEnd()],
    [`1. ${'item '.repeat(20)}`.trimEnd(), `1. ${'item '.repeat(20)}`.trimEnd()],
    [
      `\`\`\`js\n${'code '.repeat(20)}\n\n\n\`\`\`\n${'prose '.repeat(15)}`.trimEnd(),
      `\`\`\`js\n${'code '.repeat(20)}\n\n\n\`\`\`\n${'prose '.repeat(12).trim()}\n${'prose '.repeat(3).trim()}`,
    ],
    ['a\r\n\r\n\r\nb  \n\n', 'a\n\nb'],
  ])('wraps %j as %j', (body, expected) => {
    expect(wrapBody(body)).toBe(expected);
  });
});

describe('commitTrailers', () => {
  const input: CommitTrailersInput = {
    session: 'phase-1.3-20260301',
    taskId: '1.3',
    passed: 5,
    total: 5,
    approvals: [
      { gate: 'implementation', approver: 'alice' },
      { gate: 'verification', approver: 'bob' },
      { gate: 'commit', approver: 'alice' },
    ],
    models: ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-sonnet-4-5'],
    assistedBy: true,
  };

  it('lists session, task, verification, one approval per gate and each model once, in that order', () => {
    expect(commitTrailers(input).map((t) => `${t.key}: ${t.value}`)).toEqual([
      'Ipo-Session: phase-1.3-20260301',
      'Ipo-Task: 1.3',
      'Ipo-Verification: 5/5 criteria pass',
      'Approved-by: alice (proceed to implementation)',
      'Approved-by: bob (proceed to verification)',
      'Approved-by: alice (proceed to commit)',
      'Assisted-by: claude-sonnet-4-5',
      'Assisted-by: claude-haiku-4-5',
    ]);
  });

  it('leaves out Assisted-by when it is turned off, and never adds Signed-off-by', () => {
    const keys = commitTrailers({ ...input, assistedBy: false }).map((t) => t.key);
    expect(keys).toEqual([
      'Ipo-Session',
      'Ipo-Task',
      'Ipo-Verification',
      'Approved-by',
      'Approved-by',
      'Approved-by',
    ]);
    expect(commitTrailers(input).some((t) => /signed-off-by/i.test(t.key))).toBe(false);
  });

  it('keeps an approval given again after a rollback only once when it is identical', () => {
    const approvals = [...input.approvals, { gate: 'commit' as const, approver: 'alice' }];
    const approved = commitTrailers({ ...input, approvals }).filter((t) => t.key === 'Approved-by');
    expect(approved).toHaveLength(3);
  });

  it.each([
    [6, 5],
    [-1, 5],
    [1.5, 2],
  ])('throws for the verification count %s/%s', (passed, total) => {
    expect(() => commitTrailers({ ...input, passed, total })).toThrow(
      `invalid verification count ${passed}/${total}`,
    );
  });
});

describe('git reads the trailers back exactly', () => {
  const trailers = commitTrailers({
    session: 'phase-1.3-20260301-2',
    taskId: '1.3',
    passed: 3,
    total: 3,
    approvals: [
      { gate: 'implementation', approver: 'alice' },
      { gate: 'verification', approver: 'bob-the-reviewer' },
      { gate: 'commit', approver: 'Jane Doe' },
    ],
    models: ['claude-sonnet-4-5'],
    assistedBy: true,
  });
  const expected = trailers.map((t) => `${t.key}: ${t.value}`);

  it.each([
    ['no body', undefined],
    ['a prose body', 'Implement median for odd and even lists.\nSorts a copy numerically.'],
    ['a body ending in trailer-like lines', 'Fixes the dashboard crash.\n\nSee-also: #12\nRefs: #3'],
    ['a body with a markdown rule', 'Summary.\n\n---\n\nDetails after the rule.'],
    ['a body with a diff in fenced code', '```diff\n--- a/src/median.js\n+++ b/src/median.js\n```'],
    [
      'a body with a long paragraph',
      `${'Median sorts numerically and averages the middle pair. '.repeat(6)}`,
    ],
  ])('with %s', (_name, body) => {
    const message = buildCommitMessage({
      type: 'feat',
      scope: 'median',
      subject: 'Implement median',
      body,
      trailers,
    });
    expect(gitTrailers(message)).toEqual(expected);
  });
});
