import { describe, expect, it } from 'vitest';
import { CatchUpRefusal, catchUpLedger } from '../../src/session/catch-up-ledger.ts';
import type { Ledger } from '../../src/state/ledger.ts';
import { ledgerSchema } from '../../src/state/ledger.ts';
import { AT, DIGEST, ledger, SHA_A, SHA_B } from '../state/fixtures.ts';

const ctx = { actor: 'bob', at: AT, requireDistinctApprover: false };
const awaitingVerification = ledger; // awaiting:verification approving implementation at SHA_B

describe('catchUpLedger: the job replays the command that dispatched it', () => {
  it('records the approval and the run when the dispatch opens the waiting gate', () => {
    const next = catchUpLedger(awaitingVerification(), 'verification', 1, { ...ctx, approvedSha: SHA_B });
    expect(next.status).toEqual({ kind: 'running', phase: 'verification', attempt: 1 });
    expect(next.approvals.at(-1)).toMatchObject({
      gate: 'verification',
      approver: 'bob',
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

  it('replays a retry (with its feedback) after a failure', () => {
    const failed: Ledger = {
      ...awaitingVerification(),
      status: { kind: 'failed', phase: 'implementation', attempt: 2, error: 'x' },
    };
    const next = catchUpLedger(failed, 'implementation', 3, { ...ctx, feedback: 'use the helper' });
    expect(next.status).toEqual({ kind: 'running', phase: 'implementation', attempt: 3 });
    expect(next.events.at(-1)?.detail).toContain('with feedback: use the helper');
  });

  it('replays a rollback then the reopened gate when the dispatch goes back to an earlier phase', () => {
    const blocked: Ledger = {
      ...awaitingVerification(),
      status: { kind: 'blocked', phase: 'implementation', attempt: 2, reason: 'r' },
    };
    const rolled = {
      ...blocked,
      status: {
        kind: 'awaiting' as const,
        gate: 'verification' as const,
        approves: { digest: DIGEST, head: SHA_B },
      },
    };
    const next = catchUpLedger(rolled, 'implementation', 3, { ...ctx, approvedSha: SHA_A });
    expect(next.status).toEqual({ kind: 'running', phase: 'implementation', attempt: 3 });
    expect(next.events.map((e) => e.type)).toContain('rollback');
  });

  it('leaves a ledger that already runs this attempt as it is (a re-run of the same job)', () => {
    const running: Ledger = {
      ...awaitingVerification(),
      status: { kind: 'running', phase: 'verification', attempt: 1 },
    };
    expect(catchUpLedger(running, 'verification', 1, ctx)).toBe(running);
  });

  it.each([
    [
      'the wrong gate',
      'commit',
      1,
      SHA_B,
      /dispatched for commit attempt 1, but the session is awaiting:verification/,
    ],
    ['a stale approved head', 'verification', 1, SHA_A, /refused: .*moved/],
  ])('refuses %s before any model call', (_case, phase, attempt, approvedSha, message) => {
    expect(() =>
      catchUpLedger(awaitingVerification(), phase as 'commit', attempt as number, {
        ...ctx,
        approvedSha: approvedSha as string,
      }),
    ).toThrow(message as RegExp);
  });

  it('refuses a dispatch of an attempt that already ran', () => {
    const failed: Ledger = {
      ...awaitingVerification(),
      status: { kind: 'failed', phase: 'implementation', attempt: 2, error: 'x' },
    };
    expect(() => catchUpLedger(failed, 'implementation', 2, ctx)).toThrow(
      /dispatched for implementation attempt 2, but the session is implementing \(attempt 3\)/,
    );
  });

  it('refuses self-approval when the config requires a distinct approver', () => {
    expect(() =>
      catchUpLedger(awaitingVerification(), 'verification', 1, {
        ...ctx,
        actor: 'alice',
        approvedSha: SHA_B,
        requireDistinctApprover: true,
      }),
    ).toThrow(CatchUpRefusal);
  });
});

describe('catchUpLedger after runs that crashed before exporting state', () => {
  it('continues with the attempt the app dispatched and records the lost runs', () => {
    const next = catchUpLedger(ledger(), 'verification', 3, { ...ctx, approvedSha: SHA_B });
    expect(next.status).toEqual({ kind: 'running', phase: 'verification', attempt: 3 });
    expect(next.events.find((e) => e.type === 'lost-runs')?.detail).toBe(
      '2 run(s) of verification ended without exporting state; continuing with attempt 3',
    );
  });
});
