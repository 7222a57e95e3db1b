import { GATED_PHASES, type GatedPhase, type Phase, phaseIndex, proceedPhrase } from '../phases.ts';
import { shortSha } from './refusals.ts';
import { type SessionStatus, type SessionView, stateLabel } from './session-state.ts';

export const PHASE_OUTCOMES = ['succeeded', 'failed', 'blocked'] as const;
export type PhaseOutcome = (typeof PHASE_OUTCOMES)[number];

/** How one phase run ended, as the job reports it. `digest`/`head` are required to open the next gate. */
export interface PhaseResult {
  phase: Phase;
  attempt: number;
  outcome: PhaseOutcome;
  /** sha256 of the exported artifact (`advanceSession` records it as `digests[phase]` on success). */
  digest?: string;
  /** Session-branch head after the run: the commit the next gate approves. */
  head?: string;
  error?: string;
  reason?: string;
}

export type PhaseResultDecision =
  | { kind: 'accept'; next: SessionStatus; message: string }
  | { kind: 'refuse'; reason: string };

/**
 * The status after a phase run ends. Only the run the session is waiting for counts: a late result of an older
 * attempt, of another phase, or after cancel is refused as stale, so it cannot reopen a gate.
 */
export function applyPhaseResult(session: SessionView, result: PhaseResult): PhaseResultDecision {
  const status = session.status;
  const run = `${result.phase} attempt ${result.attempt}`;
  if (status.kind !== 'running' || status.phase !== result.phase || status.attempt !== result.attempt) {
    const now =
      status.kind === 'running' ? `is running ${status.phase} attempt ${status.attempt}` : 'is not running';
    return {
      kind: 'refuse',
      reason: `stale result ignored: ${run} ${result.outcome}, but session ${session.id} ${now} (${stateLabel(status)})`,
    };
  }
  const { phase, attempt } = result;
  switch (result.outcome) {
    case 'failed': {
      const error = result.error ?? 'the phase failed without an error message';
      return {
        kind: 'accept',
        next: { kind: 'failed', phase, attempt, error },
        message: `${run} failed: ${error}`,
      };
    }
    case 'blocked': {
      const reason = result.reason ?? 'the phase was blocked without a reason';
      return {
        kind: 'accept',
        next: { kind: 'blocked', phase, attempt, reason },
        message: `${run} is blocked: ${reason}`,
      };
    }
    case 'succeeded':
      return succeeded(result, run);
    default: {
      const never: never = result.outcome;
      return never;
    }
  }
}

function succeeded({ phase, attempt, digest, head }: PhaseResult, run: string): PhaseResultDecision {
  const gate = gateAfter(phase);
  if (gate === null)
    return {
      kind: 'accept',
      next: { kind: 'complete' },
      message: `${run} succeeded; the session is complete`,
    };
  // A gate must bind to an artifact and a commit; without them an approval would approve nothing in particular.
  if (digest === undefined || head === undefined) {
    const error = `${phase} reported success without an artifact digest and branch head, so no gate can open`;
    return {
      kind: 'accept',
      next: { kind: 'failed', phase, attempt, error },
      message: `${run} failed: ${error}`,
    };
  }
  return {
    kind: 'accept',
    next: { kind: 'awaiting', gate, approves: { digest, head } },
    message: `${run} succeeded at ${shortSha(head)}; the gate \`${proceedPhrase(gate)}\` is open`,
  };
}

function gateAfter(phase: Phase): GatedPhase | null {
  return GATED_PHASES.find((gate) => phaseIndex(gate) === phaseIndex(phase) + 1) ?? null;
}
