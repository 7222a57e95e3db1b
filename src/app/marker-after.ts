import { advanceSession, type SessionStep } from '../core/session/advance-session.ts';
import type { PhaseResult } from '../core/session/apply-phase-result.ts';
import type { AcceptedDecision } from '../core/session/decision.ts';
import type { SessionView } from '../core/session/session-state.ts';
import { markerView, type StatusMarker } from '../github/status-marker.ts';

/** The marker's own fields: where the session's state lives on GitHub, not what the session is doing. */
export type MarkerPointer = Omit<
  StatusMarker,
  'session' | 'taskId' | 'startedBy' | 'state' | 'attempts' | 'bases' | 'digests'
>;

/**
 * The marker after an accepted decision, as the app records it between jobs: the session engine's view of the
 * marker, plus the marker's own pointer fields unchanged. The job's ledger goes through the same engine and stays
 * the authority.
 */
export function markerAfter(marker: StatusMarker, decision: AcceptedDecision): StatusMarker {
  return markerOfView(advanceSession(markerView(marker), { kind: 'decision', decision }).view, marker);
}

/**
 * The marker after a phase result the app learns of itself (a run that ended without reporting, through
 * `unreportedRunResult`): a stale result leaves it as it was. `step` says which, with the message or the reason.
 */
export function markerAfterResult(
  marker: StatusMarker,
  result: PhaseResult,
): { marker: StatusMarker; step: SessionStep } {
  const step = advanceSession(markerView(marker), { kind: 'phase-result', result });
  return { marker: markerOfView(step.view, marker), step };
}

/**
 * The marker holding `view` at `pointer`: the inverse of `markerView`. A new session's marker is
 * `markerOfView(newSessionView(…), { branch, issueNumber, baseBranch, runs: [] })`.
 */
export function markerOfView(view: SessionView, pointer: MarkerPointer): StatusMarker {
  // A whole marker may be passed as the pointer: every field the view holds is overwritten from the view.
  return {
    ...structuredClone(pointer),
    session: view.id,
    taskId: view.taskId,
    startedBy: view.startedBy,
    state: structuredClone(view.status),
    attempts: { ...view.attempts },
    bases: { ...view.bases },
    digests: { ...view.digests },
  };
}
