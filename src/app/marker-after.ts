import { PHASES, phaseIndex } from '../core/phases.ts';
import type { Decision } from '../core/session/decision.ts';
import type { StatusMarker } from '../github/status-marker.ts';

/**
 * The marker after an accepted decision, as the app records it between jobs: new status, attempts and bases of
 * dispatched runs, work dropped by a rollback. The job's ledger replays the same decision and stays the authority.
 */
export function markerAfter(
  marker: StatusMarker,
  decision: Extract<Decision, { kind: 'accept' }>,
): StatusMarker {
  const next: StatusMarker = structuredClone(marker);
  for (const effect of decision.effects) {
    if (effect.type === 'dispatch') {
      next.attempts[effect.phase] = effect.attempt;
      if (effect.base) next.bases[effect.phase] = effect.base;
    }
    if (effect.type === 'reset-branch') {
      for (const p of PHASES) {
        if (phaseIndex(p) > phaseIndex(effect.phase)) delete next.bases[p];
        if (phaseIndex(p) >= phaseIndex(effect.phase)) delete next.digests[p];
      }
    }
  }
  if (decision.next) next.state = decision.next;
  return next;
}
