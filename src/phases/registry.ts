import type { Phase } from '../core/phases.ts';
import { runAlignment } from './alignment/run-alignment.ts';
import { runCommit } from './commit/run-commit.ts';
import { runImplementation } from './implementation/run-implementation.ts';
import type { PhaseRunner } from './phase-context.ts';
import { runVerification } from './verification/run-verification.ts';

/** One runner per phase; adding a phase breaks the build here until it has one. */
export const PHASE_RUNNERS: { [P in Phase]: PhaseRunner<P> } = {
  alignment: runAlignment,
  implementation: runImplementation,
  verification: runVerification,
  commit: runCommit,
};
