import { type GatedPhase, PHASES, type Phase, phaseIndex } from '../phases.ts';

/** The phase whose artifact the gate before `gate` approves (`implementation` for `verification`). */
export function phaseBefore(gate: GatedPhase): Phase {
  // Every gated phase has a predecessor; the fallback only satisfies noUncheckedIndexedAccess.
  return PHASES[phaseIndex(gate) - 1] ?? gate;
}
