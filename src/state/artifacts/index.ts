import type { z } from 'zod';
import type { Phase } from '../../core/phases.ts';
import { alignmentBodySchema, alignmentSubmissionSchema } from './alignment.ts';
import { commitBodySchema, commitSubmissionSchema } from './commit.ts';
import { implementationBodySchema, implementationSubmissionSchema } from './implementation.ts';
import { verificationBodySchema, verificationSubmissionSchema } from './verification.ts';

/** The body schema of each phase's artifact. `satisfies` keeps per-phase types and breaks the build on a new phase. */
export const ARTIFACT_SCHEMAS = {
  alignment: alignmentBodySchema,
  implementation: implementationBodySchema,
  verification: verificationBodySchema,
  commit: commitBodySchema,
} as const satisfies Record<Phase, z.ZodType>;

/** What each phase's model submits through `submit_result` (the rest of the body is the orchestrator's). */
export const SUBMISSION_SCHEMAS = {
  alignment: alignmentSubmissionSchema,
  implementation: implementationSubmissionSchema,
  verification: verificationSubmissionSchema,
  commit: commitSubmissionSchema,
} as const satisfies Record<Phase, z.ZodType>;

export type ArtifactBody<P extends Phase> = z.infer<(typeof ARTIFACT_SCHEMAS)[P]>;
export type Submission<P extends Phase> = z.infer<(typeof SUBMISSION_SCHEMAS)[P]>;

export * from './alignment.ts';
export * from './commit.ts';
export * from './implementation.ts';
export * from './verification.ts';
