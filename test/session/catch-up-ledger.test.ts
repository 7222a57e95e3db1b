import { describe, expect, it } from 'vitest';
import type { Command } from '../../src/core/commands/command.ts';
import type { VerifiedCommand } from '../../src/core/dispatch/verified-command.ts';
import { CatchUpRefusal, catchUpLedger } from '../../src/session/catch-up-ledger.ts';
import type { Ledger } from '../../src/state/ledger.ts';
import { ledgerSchema } from '../../src/state/ledger.ts';
import { DIGEST, ledger, SHA_A, SHA_B } from '../state/fixtures.ts';

const JOB_AT = '2025-01-31T13:00:00.000Z';
let nextId = 100;
/** A command as verifyCommandComment returns it: made after the fixture ledger's last run (12:00) by default. */
function said(command: Command, login = 'bob', at = '2025-01-31T12:30:00Z'): VerifiedCommand {
  const commentId = nextId++;
  return { commentId, login, command, at, url: `https://github.com/o/r/issues/1#issuecomment-${commentId}` };
}
const proceedVerification = () => said({ name: 'proceed', phase: 'verification' });
const base = { at: JOB_AT, requireDistinctApprover: false };
const awaitingVerification = ledger; // awaiting:verification approving implementation at SHA_B
const failedImplementation = (attempt: number): Ledger => ({
  ...awaitingVerification(),
  attempts: { ...awaitingVerification().attempts, implementation: attempt },
  status: { kind: 'failed', phase: 'implementation', attempt, error: 'x' },
});

describe('catchUpLedger: the job replays exactly the commands its comments gave', () => {
  it("records the approval by the comment's author, with the comment's URL, and the run", () => {
    const command = proceedVerification();
    const next = catchUpLedger(awaitingVerification(), 'verification', 1, {
      ...base,
      commands: [command],
      approvedSha: SHA_B,
    });
    expect(next.status).toEqual({ kind: 'running', phase: 'verification', attempt: 1 });
    expect(next.approvals.at(-1)).toMatchObject({
      gate: 'verification',
      approver: 'bob',
      commentUrl: command.url,
      approvedDigest: DIGEST,
      branchHead: SHA_B,
    });
    expect(next.runs.at(-1)).toMatchObject({
      phase: 'verification',
      attempt: 1,
      status: 'running',
      baseSha: SHA_B,
    });
    expect(ledgerSchema.safeParse(next).success).toBe(true);
  });

  it('replays a retry with the feedback its own comment holds', () => {
    const retry = said({ name: 'retry', phase: 'implementation', feedback: 'use the helper' });
    const next = catchUpLedger(failedImplementation(2), 'implementation', 3, { ...base, commands: [retry] });
    expect(next.status).toEqual({ kind: 'running', phase: 'implementation', attempt: 3 });
    expect(next.events.at(-1)?.detail).toContain('with feedback: use the helper');
  });

  it('replays a rollback (which dispatched nothing), then the gate it reopened, in the order they were said', () => {
    const commands = [
      said({ name: 'rollback', phase: 'implementation' }, 'bob', '2025-01-31T12:10:00Z'),
      said({ name: 'proceed', phase: 'implementation' }, 'carol', '2025-01-31T12:20:00Z'),
    ];
    const next = catchUpLedger(awaitingVerification(), 'implementation', 3, {
      ...base,
      commands,
      approvedSha: SHA_A,
    });
    expect(next.status).toEqual({ kind: 'running', phase: 'implementation', attempt: 3 });
    expect(next.events.map((e) => e.type)).toContain('rollback');
    expect(next.approvals.at(-1)).toMatchObject({ gate: 'implementation', approver: 'carol' });
  });

  it('records a run that a later listed command shows was lost, then replays the retry', () => {
    const commands = [
      proceedVerification(),
      said({ name: 'retry', phase: 'verification' }, 'bob', '2025-01-31T12:40:00Z'),
    ];
    const next = catchUpLedger(awaitingVerification(), 'verification', 2, {
      ...base,
      commands,
      approvedSha: SHA_B,
    });
    expect(next.status).toEqual({ kind: 'running', phase: 'verification', attempt: 2 });
    expect(next.runs.filter((r) => r.phase === 'verification').map((r) => r.status)).toEqual([
      'failed',
      'running',
    ]);
  });

  it.each([
    [
      'a comment whose body is another command',
      () => [said({ name: 'proceed', phase: 'commit' })],
      /comment \d+ by @bob \(`proceed to commit`\) was refused: /,
    ],
    [
      'a command that leads to another phase than the one dispatched',
      () => [said({ name: 'cancel' })],
      /dispatched for verification attempt 1, but comment \d+ by @bob \(`cancel session`\) leads to cancelled/,
    ],
    [
      'a comment made before the gate opened',
      () => [said({ name: 'proceed', phase: 'verification' }, 'bob', '2025-01-31T11:59:59Z')],
      /was made at 2025-01-31T11:59:59Z, before the gate opened at 2025-01-31T12:00:00.000Z/,
    ],
    [
      'the same comment twice',
      () => {
        const once = proceedVerification();
        return [once, once];
      },
      /comment \d+ is listed twice/,
    ],
    [
      'commands out of the order they were made',
      () => [
        said({ name: 'rollback', phase: 'implementation' }, 'bob', '2025-01-31T12:20:00Z'),
        said({ name: 'proceed', phase: 'implementation' }, 'bob', '2025-01-31T12:10:00Z'),
      ],
      /is older than comment/,
    ],
    ['no command at all', () => [], /no command comment was given/],
  ])('refuses %s', (_case, commands, message) => {
    expect(() =>
      catchUpLedger(awaitingVerification(), 'verification', 1, {
        ...base,
        commands: commands(),
        approvedSha: SHA_B,
      }),
    ).toThrow(message);
  });

  it('takes a comment made in the same second the gate opened (GitHub keeps whole seconds)', () => {
    const sameSecond = said({ name: 'proceed', phase: 'verification' }, 'bob', '2025-01-31T12:00:00Z');
    const ledgerAt = { ...awaitingVerification() };
    ledgerAt.runs = [
      { ...(ledgerAt.runs[0] as Ledger['runs'][number]), finishedAt: '2025-01-31T12:00:00.750Z' },
    ];
    const next = catchUpLedger(ledgerAt, 'verification', 1, {
      ...base,
      commands: [sameSecond],
      approvedSha: SHA_B,
    });
    expect(next.status).toMatchObject({ kind: 'running', phase: 'verification' });
  });

  it('refuses a stale approved head', () => {
    expect(() =>
      catchUpLedger(awaitingVerification(), 'verification', 1, {
        ...base,
        commands: [proceedVerification()],
        approvedSha: SHA_A,
      }),
    ).toThrow(/refused: .*moved/);
  });

  it('refuses a dispatch of an attempt that already ran', () => {
    const retry = said({ name: 'retry', phase: 'implementation' });
    expect(() =>
      catchUpLedger(failedImplementation(2), 'implementation', 2, { ...base, commands: [retry] }),
    ).toThrow(
      /dispatched for implementation attempt 2, but comment \d+ by @bob \(`retry implementation`\) leads to implementation attempt 3/,
    );
  });

  it("refuses the starter's own approval when the config requires a distinct approver", () => {
    const byStarter = said({ name: 'proceed', phase: 'verification' }, 'alice');
    expect(() =>
      catchUpLedger(awaitingVerification(), 'verification', 1, {
        ...base,
        commands: [byStarter],
        approvedSha: SHA_B,
        requireDistinctApprover: true,
      }),
    ).toThrow(CatchUpRefusal);
  });

  it('refuses a retry at an open gate when no run of that phase was lost', () => {
    const retry = said({ name: 'retry', phase: 'verification' });
    expect(() =>
      catchUpLedger(awaitingVerification(), 'verification', 1, {
        ...base,
        commands: [retry],
        approvedSha: SHA_B,
      }),
    ).toThrow(/`retry verification`\) was refused: nothing to retry/);
  });
});

describe('catchUpLedger after runs that crashed before exporting state', () => {
  it('continues with the attempt the app dispatched and records the lost runs', () => {
    const next = catchUpLedger(ledger(), 'verification', 3, {
      ...base,
      commands: [proceedVerification()],
      approvedSha: SHA_B,
    });
    expect(next.status).toEqual({ kind: 'running', phase: 'verification', attempt: 3 });
    expect(next.events.find((e) => e.type === 'lost-runs')?.detail).toBe(
      '2 run(s) of verification ended without exporting state; continuing with attempt 3',
    );
  });
});

describe('catchUpLedger: a retry after the approved run was lost, with only the retry comment to go on', () => {
  it("records the retry's author as the gate's approver, with an audit event, and runs the next attempt", () => {
    const retry = said({ name: 'retry', phase: 'verification' }, 'carol');
    const next = catchUpLedger(awaitingVerification(), 'verification', 2, {
      ...base,
      commands: [retry],
      approvedSha: SHA_B,
    });
    expect(next.status).toEqual({ kind: 'running', phase: 'verification', attempt: 2 });
    expect(next.approvals.at(-1)).toMatchObject({
      gate: 'verification',
      approver: 'carol',
      commentUrl: retry.url,
    });
    expect(next.events.map((e) => e.type)).toEqual(expect.arrayContaining(['lost-run-retry', 'lost-runs']));
  });

  it('is no way around requireDistinctApprover: the starter’s retry is refused like their approval', () => {
    const retry = said({ name: 'retry', phase: 'verification' }, 'alice');
    expect(() =>
      catchUpLedger(awaitingVerification(), 'verification', 2, {
        ...base,
        commands: [retry],
        approvedSha: SHA_B,
        requireDistinctApprover: true,
      }),
    ).toThrow(/`retry verification`\) was refused: .*requireDistinctApprover/);
  });

  it('is no way around a stale head either', () => {
    const retry = said({ name: 'retry', phase: 'verification' });
    expect(() =>
      catchUpLedger(awaitingVerification(), 'verification', 2, {
        ...base,
        commands: [retry],
        approvedSha: SHA_A,
      }),
    ).toThrow(/refused: .*moved/);
  });
});
