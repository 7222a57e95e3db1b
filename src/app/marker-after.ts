import { advanceSession, type SessionStep } from '../core/session/advance-session.ts';
import type { PhaseResult } from '../core/session/apply-phase-result.ts';
import type { AcceptedDecision } from '../core/session/decision.ts';
import type { SessionView } from '../core/session/session-state.ts';
import { markerView, type StatusMarker } from '../github/status-marker.ts';

/**
 * The marker after an accepted decision, as the app records it between jobs: the session engine's view of the
 * marker, plus the marker's own pointer fields unchanged. The job's ledger goes through the same engine and stays
 * the authority.
 */
export function markerAfter(marker: StatusMarker, decision: AcceptedDecision): StatusMarker {
  return withView(marker, advanceSession(markerView(marker), { kind: 'decision', decision }).view);
}

/**
 * The marker after a phase result the app learns of itself (a run that ended without reporting): a stale result
 * leaves it as it was. `step` says which, with the message or the reason.
 */
export function markerAfterResult(
  marker: StatusMarker,
  result: PhaseResult,
): { marker: StatusMarker; step: SessionStep } {
  const step = advanceSession(markerView(marker), { kind: 'phase-result', result });
  return { marker: withView(marker, step.view), step };
}

function withView(marker: StatusMarker, view: SessionView): StatusMarker {
  return {
    ...structuredClone(marker),
    state: view.status,
    attempts: view.attempts,
    bases: view.bases,
    digests: view.digests,
  };
}
