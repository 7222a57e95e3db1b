import { describe, expect, it } from 'vitest';
import type { Command } from '../../src/core/commands/command.ts';
import { decide } from '../../src/core/session/decide.ts';
import type { AcceptedDecision } from '../../src/core/session/decision.ts';
import { unreportedRunResult } from '../../src/core/session/unreported-run-result.ts';
import { applyDecision, recordRunResult } from '../../src/session/ledger-ops.ts';
import { type Ledger, ledgerSchema } from '../../src/state/ledger.ts';
import { toSessionView } from '../../src/state/to-session-view.ts';
import { AT, DIGEST, ledger, SHA_A, SHA_B } from '../state/fixtures.ts';

/** The fixture ledger is awaiting:verification, approving implementation's artifact at SHA_B. */
function accepted(l: Ledger, command: Command): AcceptedDecision {
  const decision = decide(toSessionView(l), command, {
    actor: { login: 'bob', authorized: true },
    requireDistinctApprover: false,
  });
  if (decision.kind !== 'accept') throw new Error(decision.reason);
  return decision;
}

function apply(l: Ledger, command: Command): Ledger {
  const next = applyDecision(l, accepted(l, command), { actor: 'bob', at: AT }).ledger;
  expect(ledgerSchema.safeParse(next).success).toBe(true);
  return next;
}

describe('ledger-ops: the audit trail on top of the session engine', () => {
  it('records the approval, and a run from the approved head reading the declared inputs, on proceed', () => {
    const before = ledger();
    const next = apply(before, { name: 'proceed', phase: 'verification' });
    expect(next.approvals.slice(before.approvals.length)).toEqual([
      { gate: 'verification', approver: 'bob', approvedDigest: DIGEST, branchHead: SHA_B, at: AT },
    ]);
    expect(next.runs.at(-1)).toEqual({
      phase: 'verification',
      attempt: 1,
      status: 'running',
      startedAt: AT,
      baseSha: SHA_B,
      inputs: [
        { name: 'alignment.json', sha256: DIGEST },
        { name: 'implementation.json', sha256: DIGEST },
      ],
    });
    expect(next.events.at(-1)).toMatchObject({ type: 'phase-started', actor: 'bob' });
  });

  it('starts a retry from the base its round started from, noting the first feedback line', () => {
    const failed: Ledger = {
      ...ledger(),
      status: { kind: 'failed', phase: 'implementation', attempt: 2, error: 'max turns' },
    };
    const next = apply(failed, {
      name: 'retry',
      phase: 'implementation',
      feedback: 'use the helper\nsecret line',
    });
    expect(next.runs.at(-1)).toMatchObject({ phase: 'implementation', attempt: 3, baseSha: SHA_A });
    expect(next.events.at(-1)?.detail).toBe('implementation attempt 3 started with feedback: use the helper');
  });

  it('logs a rollback, and the rerun of alignment reads no artifact the rollback dropped', () => {
    const next = apply(ledger(), { name: 'rollback', phase: 'alignment' });
    expect(next.events.map((e) => e.type).slice(-2)).toEqual(['rollback', 'phase-started']);
    expect(next.runs.at(-1)).toEqual({
      phase: 'alignment',
      attempt: 2,
      status: 'running',
      startedAt: AT,
      baseSha: SHA_A,
      inputs: [],
    });
    expect(next.digests).toEqual({});
  });

  it('marks the running run cancelled and logs who cancelled', () => {
    const running = apply(ledger(), { name: 'proceed', phase: 'verification' });
    const next = apply(running, { name: 'cancel' });
    expect(next.runs.at(-1)).toMatchObject({ phase: 'verification', status: 'cancelled', finishedAt: AT });
    expect(next.events.at(-1)).toMatchObject({ type: 'cancel', detail: 'bob cancelled the session' });
  });

  it('records a run that ended without reporting as failed, with how it ended', () => {
    const running = apply(ledger(), { name: 'proceed', phase: 'verification' });
    const result = unreportedRunResult({ phase: 'verification', attempt: 1, conclusion: 'timed_out' });
    const recorded = recordRunResult(running, { ...result, at: AT });
    expect(recorded.accepted).toBe(true);
    expect(recorded.ledger.runs.at(-1)).toMatchObject({
      status: 'failed',
      error: 'the run ended timed_out before reporting a result',
    });
    expect(recorded.ledger.events.at(-1)?.type).toBe('phase-failed');
  });

  it('logs a stale result and changes nothing else: no run record, no digest, no status', () => {
    const before = ledger();
    const recorded = recordRunResult(before, {
      phase: 'implementation',
      attempt: 2,
      outcome: 'succeeded',
      digest: 'e'.repeat(64),
      head: SHA_A,
      at: AT,
    });
    expect(recorded.accepted).toBe(false);
    const { events, ...rest } = recorded.ledger;
    const { events: beforeEvents, ...beforeRest } = before;
    expect(rest).toEqual(beforeRest);
    expect(events.slice(beforeEvents.length)).toEqual([
      { at: AT, type: 'stale-result', detail: recorded.message },
    ]);
  });
});
