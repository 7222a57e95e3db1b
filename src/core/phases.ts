/** The four phases, in order. Everything keyed by phase is a `Record<Phase, …>` so a new phase breaks the build. */
export const PHASES = ['alignment', 'implementation', 'verification', 'commit'] as const;
export type Phase = (typeof PHASES)[number];

/** Phases that only start after a person says `proceed to <phase>`: every phase but the first. */
export const GATED_PHASES = ['implementation', 'verification', 'commit'] as const;
export type GatedPhase = (typeof GATED_PHASES)[number];

/** The progressive form used in state names (`aligning`, `implementing`, …). */
export const PHASE_PROGRESSIVE: Record<Phase, string> = {
  alignment: 'aligning',
  implementation: 'implementing',
  verification: 'verifying',
  commit: 'committing',
};

export function isPhase(value: string): value is Phase {
  return (PHASES as readonly string[]).includes(value);
}

export function isGatedPhase(value: string): value is GatedPhase {
  return (GATED_PHASES as readonly string[]).includes(value);
}

export function phaseIndex(phase: Phase): number {
  return PHASES.indexOf(phase);
}

/** The phase after `phase`, or null after the last one. */
export function nextPhase(phase: Phase): Phase | null {
  return PHASES[phaseIndex(phase) + 1] ?? null;
}

/** The exact approval phrase that opens the gate before `phase`. */
export function proceedPhrase(phase: GatedPhase): string {
  return `proceed to ${phase}`;
}
