import { describe, expect, it } from 'vitest';
import type { SessionStatus } from '../../src/core/session/session-state.ts';
import { ledgerSchema } from '../../src/state/ledger.ts';
import { parseLedger } from '../../src/state/parse-document.ts';
import { sessionStatusSchema } from '../../src/state/session-status.ts';
import { toSessionView } from '../../src/state/to-session-view.ts';
import { DIGEST, ledger, SHA_A, SHA_B } from './fixtures.ts';

describe('ledger', () => {
  it('builds the core session view from the ledger', () => {
    expect(toSessionView(ledger())).toEqual({
      id: 'phase-2.4-20250131',
      taskId: '2.4',
      startedBy: 'alice',
      status: { kind: 'awaiting', gate: 'verification', approves: { digest: DIGEST, head: SHA_B } },
      attempts: { alignment: 1, implementation: 2, verification: 0, commit: 0 },
      bases: { alignment: SHA_A, implementation: SHA_A },
      digests: { alignment: DIGEST, implementation: DIGEST },
    });
  });

  it('hands the view copies, so deciding on it cannot change the ledger', () => {
    const source = ledger();
    const view = toSessionView(source);
    view.attempts.commit = 9;
    view.bases.commit = SHA_B;
    expect(source.attempts.commit).toBe(0);
    expect(source.bases.commit).toBeUndefined();
  });

  it.each<SessionStatus>([
    { kind: 'running', phase: 'alignment', attempt: 1 },
    { kind: 'awaiting', gate: 'commit', approves: { digest: DIGEST, head: SHA_A } },
    { kind: 'failed', phase: 'implementation', attempt: 2, error: 'budget exceeded' },
    { kind: 'blocked', phase: 'verification', attempt: 1, reason: 'AC-2 fails' },
    { kind: 'complete' },
    { kind: 'cancelled' },
  ])('accepts the session status $kind', (status) => {
    expect(sessionStatusSchema.parse(status)).toEqual(status);
  });

  it.each([
    [{ kind: 'awaiting', gate: 'alignment', approves: { digest: DIGEST, head: SHA_A } }],
    [{ kind: 'running', phase: 'alignment', attempt: 0 }],
    [{ kind: 'complete', phase: 'commit' }],
  ])('rejects the impossible status %j', (status) => {
    expect(sessionStatusSchema.safeParse(status).success).toBe(false);
  });

  it.each([
    [
      'a missing phase in attempts',
      { attempts: { alignment: 1, implementation: 0, verification: 0 } },
      'session.json: attempts.commit: expected number, got nothing (the field is missing)',
    ],
    ['an unknown phase in bases', { bases: { review: SHA_A } }, 'session.json: bases: unknown key "review"'],
    [
      'a short sha in bases',
      { bases: { alignment: 'abc' } },
      'session.json: bases.alignment: expected a 40-character lowercase hex git sha, got "abc"',
    ],
    [
      'a bad run status',
      { runs: [{ ...ledger().runs[0], status: 'done' }] },
      'session.json: runs[0].status: expected one of "running", "succeeded", "failed", "blocked", "cancelled", got "done"',
    ],
  ])('refuses %s', (_label, patch, message) => {
    expect(() => parseLedger(JSON.stringify({ ...ledger(), ...patch }))).toThrow(message);
  });

  it('is strict about unknown keys at the top level', () => {
    expect(ledgerSchema.safeParse({ ...ledger(), notes: 'x' }).success).toBe(false);
  });
});
