import { describe, expect, it } from 'vitest';
import { applyPhaseResult, type PhaseResult } from '../../../src/core/session/apply-phase-result.ts';
import { stateLabel } from '../../../src/core/session/session-state.ts';
import { sessionFor } from './session-fixtures.ts';

const HEAD = '7777777fffffffffffffffffffffffffffffffff';
const DIGEST = 'e'.repeat(64);

describe('applyPhaseResult', () => {
  it.each([
    ['aligning', 'alignment', 'awaiting:implementation'],
    ['implementing', 'implementation', 'awaiting:verification'],
    ['verifying', 'verification', 'awaiting:commit'],
    ['committing', 'commit', 'complete'],
  ] as const)('in %s, a succeeded %s run leads to %s', (state, phase, expected) => {
    const decision = applyPhaseResult(sessionFor(state), {
      phase,
      attempt: 1,
      outcome: 'succeeded',
      digest: DIGEST,
      head: HEAD,
    });
    expect(decision.kind === 'accept' ? stateLabel(decision.next) : decision.reason).toBe(expected);
  });

  it('opens the next gate approving exactly the reported artifact digest and head', () => {
    const decision = applyPhaseResult(sessionFor('implementing'), {
      phase: 'implementation',
      attempt: 1,
      outcome: 'succeeded',
      digest: DIGEST,
      head: HEAD,
    });
    expect(decision).toMatchObject({
      kind: 'accept',
      next: { kind: 'awaiting', gate: 'verification', approves: { digest: DIGEST, head: HEAD } },
    });
  });

  it.each([
    { missing: 'the head', extra: { digest: DIGEST } },
    { missing: 'the digest', extra: { head: HEAD } },
    { missing: 'both', extra: {} },
  ])('turns a success missing $missing into a failure, since no gate can bind to it', ({ extra }) => {
    const decision = applyPhaseResult(sessionFor('verifying'), {
      phase: 'verification',
      attempt: 1,
      outcome: 'succeeded',
      ...extra,
    });
    expect(decision).toMatchObject({
      kind: 'accept',
      next: { kind: 'failed', phase: 'verification', attempt: 1 },
    });
  });

  it.each([
    [
      { outcome: 'failed', error: 'max turns reached' },
      { kind: 'failed', error: 'max turns reached' },
    ],
    [{ outcome: 'failed' }, { kind: 'failed', error: 'the phase failed without an error message' }],
    [
      { outcome: 'blocked', reason: 'AC-2 fails' },
      { kind: 'blocked', reason: 'AC-2 fails' },
    ],
    [{ outcome: 'blocked' }, { kind: 'blocked', reason: 'the phase was blocked without a reason' }],
  ] as const)('records %j as %j', (result, expected) => {
    const session = sessionFor('verifying', {
      status: { kind: 'running', phase: 'verification', attempt: 2 },
    });
    const decision = applyPhaseResult(session, { phase: 'verification', attempt: 2, ...result });
    expect(decision).toEqual({
      kind: 'accept',
      next: { phase: 'verification', attempt: 2, ...expected },
      message: expect.any(String),
    });
  });

  const stale: [string, string, PhaseResult][] = [
    [
      'an older attempt',
      'verifying',
      { phase: 'verification', attempt: 1, outcome: 'succeeded', digest: DIGEST, head: HEAD },
    ],
    ['a newer attempt', 'verifying', { phase: 'verification', attempt: 3, outcome: 'failed' }],
    [
      'another phase',
      'verifying',
      { phase: 'implementation', attempt: 2, outcome: 'succeeded', digest: DIGEST, head: HEAD },
    ],
    [
      'a cancelled session',
      'cancelled',
      { phase: 'verification', attempt: 2, outcome: 'succeeded', digest: DIGEST, head: HEAD },
    ],
    [
      'a session at a gate',
      'awaiting:commit',
      { phase: 'verification', attempt: 2, outcome: 'succeeded', digest: DIGEST, head: HEAD },
    ],
    ['a failed session', 'failed:verification', { phase: 'verification', attempt: 1, outcome: 'failed' }],
  ];

  it.each(stale)('refuses a late result of %s as stale', (_what, state, result) => {
    const status =
      state === 'verifying'
        ? { kind: 'running' as const, phase: 'verification' as const, attempt: 2 }
        : undefined;
    const session = sessionFor(state, status === undefined ? {} : { status });
    const decision = applyPhaseResult(session, result);
    expect(decision.kind).toBe('refuse');
    if (decision.kind === 'refuse') {
      expect(decision.reason).toContain('stale result ignored');
      expect(decision.reason).toContain(`${result.phase} attempt ${result.attempt}`);
      expect(decision.reason).toContain(stateLabel(session.status));
    }
  });
});
