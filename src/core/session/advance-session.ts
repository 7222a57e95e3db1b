import { PHASES, type Phase, phaseIndex } from '../phases.ts';
import { applyPhaseResult, type PhaseResult } from './apply-phase-result.ts';
import type { AcceptedDecision, Effect } from './decision.ts';
import type { SessionView } from './session-state.ts';

/** What moves a session on: a command `decide` accepted, or how the phase run it is waiting for ended. */
export type SessionChange =
  | { kind: 'decision'; decision: AcceptedDecision }
  | { kind: 'phase-result'; result: PhaseResult };

/**
 * The session after a change. A stale phase result (an older attempt, another phase, after cancel) leaves the view
 * exactly as it was, so a late report cannot reopen a gate or record its artifact.
 */
export type SessionStep =
  | { kind: 'advanced'; view: SessionView; message: string }
  | { kind: 'stale'; view: SessionView; reason: string };

/**
 * The one session engine (ARCHITECTURE "State on GitHub"): status, attempts, bases and digests after `change`.
 * The ledger (which adds the audit trail) and the status marker are both advanced through it, so they cannot
 * disagree. Pure: `view` is not modified.
 */
export function advanceSession(view: SessionView, change: SessionChange): SessionStep {
  switch (change.kind) {
    case 'decision': {
      const { decision } = change;
      const next = decision.effects.reduce(afterEffect, copy(view));
      return {
        kind: 'advanced',
        view: decision.next === null ? next : { ...next, status: structuredClone(decision.next) },
        message: decision.message,
      };
    }
    case 'phase-result':
      return afterResult(view, change.result);
    default: {
      const never: never = change;
      return never;
    }
  }
}

/** What one effect of a decision changes in the view; effects the view does not hold leave it as it is. */
function afterEffect(view: SessionView, effect: Effect): SessionView {
  switch (effect.type) {
    case 'dispatch':
      // A new round (after a gate or a rollback) names its base; a retry continues the round, so its base stays.
      return {
        ...view,
        attempts: { ...view.attempts, [effect.phase]: effect.attempt },
        bases: effect.base === undefined ? view.bases : { ...view.bases, [effect.phase]: effect.base },
      };
    case 'reset-branch':
      return dropAfterRollback(view, effect.phase);
    case 'create-session':
    case 'record-approval':
    case 'cancel-run':
    case 'report-status':
      return view;
    default: {
      const never: never = effect;
      return never;
    }
  }
}

/**
 * After a rollback of `phase` the branch is back where the phase's round started: the work of that phase and every
 * later one is gone. Its own base stays (it is where the branch now is); later bases and the digests of `phase` and
 * later go, so no gate can be reopened on an artifact the branch no longer holds.
 */
function dropAfterRollback(view: SessionView, phase: Phase): SessionView {
  const after = (p: Phase) => phaseIndex(p) > phaseIndex(phase);
  const fromOn = (p: Phase) => phaseIndex(p) >= phaseIndex(phase);
  return {
    ...view,
    bases: only(view.bases, (p) => !after(p)),
    digests: only(view.digests, (p) => !fromOn(p)),
  };
}

function afterResult(view: SessionView, result: PhaseResult): SessionStep {
  const decided = applyPhaseResult(view, result);
  if (decided.kind === 'refuse') return { kind: 'stale', view: copy(view), reason: decided.reason };
  const next = { ...copy(view), status: decided.next };
  // Only a success that opened the next gate (or completed the session) keeps its artifact: a failed or blocked
  // run's output, or a success that could not bind to a head, must never be what a reopened gate approves.
  const succeeded = decided.next.kind === 'awaiting' || decided.next.kind === 'complete';
  if (succeeded && result.digest !== undefined)
    next.digests = { ...next.digests, [result.phase]: result.digest };
  return { kind: 'advanced', view: next, message: decided.message };
}

function only<T>(
  record: Partial<Record<Phase, T>>,
  keep: (phase: Phase) => boolean,
): Partial<Record<Phase, T>> {
  const kept: Partial<Record<Phase, T>> = {};
  for (const phase of PHASES) {
    const value = record[phase];
    if (value !== undefined && keep(phase)) kept[phase] = value;
  }
  return kept;
}

/** A view sharing nothing mutable with `view`, so no caller can change another's state through it. */
function copy(view: SessionView): SessionView {
  return {
    ...view,
    status: structuredClone(view.status),
    attempts: { ...view.attempts },
    bases: { ...view.bases },
    digests: { ...view.digests },
  };
}
