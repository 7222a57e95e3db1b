import type { Phase } from '../core/phases.ts';

/**
 * The artifacts each phase imports: nothing else crosses a phase boundary. Commit needs implementation (base and
 * head) and verification (the verdict it refuses to commit without).
 */
export const DECLARED_INPUTS = {
  alignment: [],
  implementation: ['alignment'],
  verification: ['alignment', 'implementation'],
  commit: ['alignment', 'implementation', 'verification'],
} as const satisfies Record<Phase, readonly Phase[]>;

export type DeclaredInput<P extends Phase> = (typeof DECLARED_INPUTS)[P][number];
