import { describe, expect, it } from 'vitest';
import type { Command } from '../../../src/core/commands/command.ts';
import { advanceSession, type SessionStep } from '../../../src/core/session/advance-session.ts';
import type { PhaseResult } from '../../../src/core/session/apply-phase-result.ts';
import { decide } from '../../../src/core/session/decide.ts';
import type { AcceptedDecision } from '../../../src/core/session/decision.ts';
import { newSessionView } from '../../../src/core/session/new-session-view.ts';
import { type SessionView, stateLabel } from '../../../src/core/session/session-state.ts';
import { unreportedRunResult } from '../../../src/core/session/unreported-run-result.ts';
import { BASE, ctxFor, DIGEST, SESSION_ID, STARTER, sessionFor } from './session-fixtures.ts';

const HEAD = '7777777fffffffffffffffffffffffffffffffff';
const NEW_DIGEST = 'e'.repeat(64);

function accepted(view: SessionView | undefined, command: Command): AcceptedDecision {
  const decision = decide(view, command, ctxFor());
  if (decision.kind !== 'accept')
    throw new Error(`expected ${command.name} to be accepted: ${decision.reason}`);
  return decision;
}

/** The view after `command`, decided and applied the way every adapter does it. */
function viewAfter(view: SessionView, command: Command): SessionView {
  return advanceSession(view, { kind: 'decision', decision: accepted(view, command) }).view;
}

function afterResult(view: SessionView, result: PhaseResult): SessionStep {
  return advanceSession(view, { kind: 'phase-result', result });
}

describe('newSessionView', () => {
  it('starts with nothing run and alignment based on the commit the branch is cut from', () => {
    expect(
      newSessionView({ id: SESSION_ID, taskId: '2.4', startedBy: STARTER, base: BASE.alignment }),
    ).toEqual({
      id: SESSION_ID,
      taskId: '2.4',
      startedBy: STARTER,
      status: { kind: 'running', phase: 'alignment', attempt: 1 },
      attempts: { alignment: 0, implementation: 0, verification: 0, commit: 0 },
      bases: { alignment: BASE.alignment },
      digests: {},
    });
  });

  it('records alignment attempt 1 from its base once the start decision is applied', () => {
    const fresh = newSessionView({ id: SESSION_ID, taskId: '2.4', startedBy: STARTER, base: BASE.alignment });
    const view = advanceSession(fresh, {
      kind: 'decision',
      decision: accepted(undefined, { name: 'start', taskId: '2.4' }),
    }).view;
    expect(view.status).toEqual({ kind: 'running', phase: 'alignment', attempt: 1 });
    expect(view.attempts).toEqual({ alignment: 1, implementation: 0, verification: 0, commit: 0 });
    expect(view.bases).toEqual({ alignment: BASE.alignment });
  });
});

describe('advanceSession with a decision', () => {
  it('starts the gated phase from the approved head on proceed, counting its attempt', () => {
    const view = viewAfter(sessionFor('awaiting:verification'), { name: 'proceed', phase: 'verification' });
    expect(view.status).toEqual({ kind: 'running', phase: 'verification', attempt: 1 });
    expect(view.attempts.verification).toBe(1);
    expect(view.bases).toEqual({
      alignment: BASE.alignment,
      implementation: BASE.implementation,
      verification: BASE.verification,
    });
    expect(view.digests).toEqual({ alignment: DIGEST.alignment, implementation: DIGEST.implementation });
  });

  it.each([
    ['without feedback', undefined],
    ['with feedback', 'use the helper'],
  ])(
    'keeps the base on a retry %s, so rollback still returns to before the first attempt',
    (_how, feedback) => {
      const before = sessionFor('failed:implementation', {
        bases: { alignment: BASE.alignment, implementation: BASE.implementation },
      });
      const command: Command =
        feedback === undefined
          ? { name: 'retry', phase: 'implementation' }
          : { name: 'retry', phase: 'implementation', feedback };
      const view = viewAfter(before, command);
      expect(view.status).toEqual({ kind: 'running', phase: 'implementation', attempt: 2 });
      expect(view.attempts.implementation).toBe(2);
      expect(view.bases).toEqual(before.bases);
    },
  );

  it('drops later bases and the digests of the rolled-back phase and later, then reruns alignment', () => {
    const view = viewAfter(sessionFor('failed:verification'), { name: 'rollback', phase: 'alignment' });
    expect(view.status).toEqual({ kind: 'running', phase: 'alignment', attempt: 2 });
    expect(view.bases).toEqual({ alignment: BASE.alignment });
    expect(view.digests).toEqual({});
  });

  it('reopens the gate before a rolled-back phase approving the digest it keeps', () => {
    const view = viewAfter(sessionFor('awaiting:commit'), { name: 'rollback', phase: 'verification' });
    expect(view.status).toEqual({
      kind: 'awaiting',
      gate: 'verification',
      approves: { digest: DIGEST.implementation, head: BASE.verification },
    });
    expect(view.bases).toEqual({
      alignment: BASE.alignment,
      implementation: BASE.implementation,
      verification: BASE.verification,
    });
    expect(view.digests).toEqual({ alignment: DIGEST.alignment, implementation: DIGEST.implementation });
  });

  it('cancels without touching attempts, bases or digests (they stay for the record)', () => {
    const before = sessionFor('verifying');
    expect(viewAfter(before, { name: 'cancel' })).toEqual({ ...before, status: { kind: 'cancelled' } });
  });

  it('changes nothing on status', () => {
    const before = sessionFor('awaiting:commit');
    const step = advanceSession(before, { kind: 'decision', decision: accepted(before, { name: 'status' }) });
    expect(step).toEqual({
      kind: 'advanced',
      view: before,
      message: expect.stringContaining('awaiting:commit'),
    });
  });

  it('is pure: the input view and the decision stay as they were, and the result shares nothing with them', () => {
    const before = sessionFor('awaiting:verification');
    const decision = accepted(before, { name: 'rollback', phase: 'implementation' });
    const snapshot = structuredClone({ before, decision });
    const view = advanceSession(before, { kind: 'decision', decision }).view;
    expect({ before, decision }).toEqual(snapshot);
    view.attempts.alignment = 99;
    view.bases.alignment = HEAD;
    if (view.status.kind === 'awaiting') view.status.approves.head = HEAD;
    expect({ before, decision }).toEqual(snapshot);
  });
});

describe('advanceSession with a phase result', () => {
  it('opens the next gate on success and records the artifact digest', () => {
    const step = afterResult(sessionFor('implementing'), {
      phase: 'implementation',
      attempt: 1,
      outcome: 'succeeded',
      digest: NEW_DIGEST,
      head: HEAD,
    });
    expect(step.kind).toBe('advanced');
    expect(step.view.status).toEqual({
      kind: 'awaiting',
      gate: 'verification',
      approves: { digest: NEW_DIGEST, head: HEAD },
    });
    expect(step.view.digests).toEqual({ alignment: DIGEST.alignment, implementation: NEW_DIGEST });
  });

  it('completes the session when commit succeeds, recording its digest', () => {
    const step = afterResult(sessionFor('committing'), {
      phase: 'commit',
      attempt: 1,
      outcome: 'succeeded',
      digest: NEW_DIGEST,
      head: HEAD,
    });
    expect(step.view.status).toEqual({ kind: 'complete' });
    expect(step.view.digests.commit).toBe(NEW_DIGEST);
  });

  it.each([
    [
      'failed',
      { outcome: 'failed', error: 'max turns', digest: NEW_DIGEST, head: HEAD },
      'failed:verification',
    ],
    [
      'blocked',
      { outcome: 'blocked', reason: 'AC-2 fails', digest: NEW_DIGEST, head: HEAD },
      'blocked:verification',
    ],
    ['succeeded without a head', { outcome: 'succeeded', digest: NEW_DIGEST }, 'failed:verification'],
  ] as const)(
    'records no digest for a run that %s, so no gate can ever approve its artifact',
    (_how, result, label) => {
      const before = sessionFor('verifying');
      const step = afterResult(before, { phase: 'verification', attempt: 1, ...result });
      expect(stateLabel(step.view.status)).toBe(label);
      expect(step.view.digests).toEqual(before.digests);
      expect(step.view.attempts).toEqual(before.attempts);
      expect(step.view.bases).toEqual(before.bases);
    },
  );

  it('ignores a late success of a rolled-back attempt: its digest is not recorded and no gate reopens', () => {
    const rolledBack = viewAfter(sessionFor('awaiting:verification'), {
      name: 'rollback',
      phase: 'implementation',
    });
    const step = afterResult(rolledBack, {
      phase: 'implementation',
      attempt: 1,
      outcome: 'succeeded',
      digest: NEW_DIGEST,
      head: HEAD,
    });
    expect(step).toEqual({
      kind: 'stale',
      view: rolledBack,
      reason: expect.stringContaining('stale result'),
    });
  });

  it('ignores a late success after cancel: the session stays cancelled', () => {
    const cancelled = viewAfter(sessionFor('verifying'), { name: 'cancel' });
    const step = afterResult(cancelled, {
      phase: 'verification',
      attempt: 1,
      outcome: 'succeeded',
      digest: NEW_DIGEST,
      head: HEAD,
    });
    expect(step).toEqual({
      kind: 'stale',
      view: cancelled,
      reason: expect.stringContaining('is not running'),
    });
  });
});

describe('unreportedRunResult', () => {
  it('fails the attempt the session waits for, saying how the run ended', () => {
    const step = afterResult(
      sessionFor('committing'),
      unreportedRunResult({ phase: 'commit', attempt: 1, conclusion: 'cancelled' }),
    );
    expect(step.view.status).toEqual({
      kind: 'failed',
      phase: 'commit',
      attempt: 1,
      error: 'the run ended cancelled before reporting a result',
    });
  });

  it.each([
    ['an older attempt', 'implementing', { phase: 'implementation', attempt: 0 }],
    ['another phase', 'implementing', { phase: 'alignment', attempt: 1 }],
    [
      'a run whose session already moved to a gate',
      'awaiting:verification',
      { phase: 'implementation', attempt: 1 },
    ],
  ] as const)('leaves the session alone for %s', (_what, label, run) => {
    const before = sessionFor(label);
    const step = afterResult(before, unreportedRunResult({ ...run, conclusion: 'failure' }));
    expect(step).toMatchObject({ kind: 'stale', view: before });
  });
});
