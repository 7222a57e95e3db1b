import { describe, expect, it } from 'vitest';
import type { Command } from '../../../src/core/commands/command.ts';
import { startCommandProblem } from '../../../src/core/dispatch/command-sequence-problem.ts';
import type { VerifiedCommand } from '../../../src/core/dispatch/verified-command.ts';

const said = (command: Command, at: string, commentId = 5): VerifiedCommand => ({
  commentId,
  login: 'maintainer',
  command,
  at,
  url: `https://github.com/acme/tally/issues/1#issuecomment-${commentId}`,
});
const SESSION = 'phase-1.3-20260115';
const start = (taskId: string) => ({ name: 'start', taskId }) as const;

describe("startCommandProblem: a session's first alignment comes from its start comment", () => {
  it.each([
    ['made that day', '2026-01-15T09:00:00Z'],
    ['made just before midnight, handled after it', '2026-01-14T23:59:59Z'],
  ])('takes the start command of the task %s', (_case, at) => {
    expect(startCommandProblem([said(start('1.3'), at)], SESSION)).toBeNull();
  });

  it.each([
    [
      'another task',
      [said(start('1.4'), '2026-01-15T09:00:00Z')],
      /says `I'm going to start phase 1.4`, not `I'm going to start phase 1.3`/,
    ],
    [
      'another command',
      [said({ name: 'proceed', phase: 'commit' }, '2026-01-15T09:00:00Z')],
      /says `proceed to commit`/,
    ],
    [
      'an old start comment',
      [said(start('1.3'), '2026-01-10T09:00:00Z')],
      /made on 2026-01-10, but session phase-1.3-20260115 started on 20260115/,
    ],
    [
      'two comments',
      [said(start('1.3'), '2026-01-15T09:00:00Z'), said(start('1.3'), '2026-01-15T09:01:00Z', 6)],
      /exactly one start comment, got 2/,
    ],
    ['none', [], /exactly one start comment, got 0/],
  ])('refuses %s', (_case, commands, reason) => {
    expect(startCommandProblem(commands, SESSION)).toMatch(reason);
  });
});
