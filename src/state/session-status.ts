import { z } from 'zod';
import type { SessionStatus } from '../core/session/session-state.ts';
import { countSchema, gatedPhaseSchema, gitShaSchema, phaseSchema, sha256Schema } from './primitives.ts';
import { assertType, type MutuallyAssignable } from './type-equality.ts';

const attemptSchema = countSchema.min(1).describe('Attempt number of the phase, from 1.');

/** zod twin of the core `SessionStatus` union (ARCHITECTURE §3); the assertion below keeps them identical. */
export const sessionStatusSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('running'), phase: phaseSchema, attempt: attemptSchema }),
    z.strictObject({
      kind: z.literal('awaiting'),
      gate: gatedPhaseSchema.describe('The gate that is open: the phase that starts on approval.'),
      approves: z
        .strictObject({
          digest: sha256Schema.describe('Digest of the artifact an approval at this gate approves.'),
          head: gitShaSchema.describe('Session-branch head an approval at this gate approves.'),
        })
        .describe('An approval binds to this artifact digest and branch head; a later push makes it stale.'),
    }),
    z.strictObject({
      kind: z.literal('failed'),
      phase: phaseSchema,
      attempt: attemptSchema,
      error: z.string().describe('Why the phase failed.'),
    }),
    z.strictObject({
      kind: z.literal('blocked'),
      phase: phaseSchema,
      attempt: attemptSchema,
      reason: z.string().describe('Why the phase blocked (spec conflict, failed criteria).'),
    }),
    z.strictObject({ kind: z.literal('complete') }),
    z.strictObject({ kind: z.literal('cancelled') }),
  ])
  .meta({
    title: 'Session status',
    description:
      'What the session is doing now: running a phase, awaiting a gate, failed, blocked, complete, cancelled.',
  });

export type SessionStatusData = z.infer<typeof sessionStatusSchema>;

assertType<MutuallyAssignable<SessionStatusData, SessionStatus>>();
