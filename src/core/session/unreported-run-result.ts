import type { Phase } from '../phases.ts';
import type { PhaseResult } from './apply-phase-result.ts';

export interface UnreportedRun {
  phase: Phase;
  attempt: number;
  /** How GitHub says the run ended (`failure`, `cancelled`, `timed_out`, …), or why it never reported. */
  conclusion: string;
}

/**
 * The phase result of a run that ended without reporting one (it crashed, was cancelled or timed out before it
 * exported state): a failure, so the session offers retry or rollback instead of waiting forever. It goes through
 * `advanceSession` like any result, so it only counts for the attempt the session is waiting for.
 */
export function unreportedRunResult(run: UnreportedRun): PhaseResult {
  return {
    phase: run.phase,
    attempt: run.attempt,
    outcome: 'failed',
    error: `the run ended ${run.conclusion} before reporting a result`,
  };
}
