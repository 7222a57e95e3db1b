import { z } from 'zod';
import { alignmentVerdictSchema } from '../state/artifacts/alignment.ts';
import { fileChangeSchema } from '../state/artifacts/implementation.ts';
import {
  checkSchema,
  criterionResultSchema,
  evidenceSchema,
  gapSchema,
} from '../state/artifacts/verification.ts';

const count = z.number().int().min(0);
const attempt = z.number().int().min(1).describe('The attempt whose artifact this is.');

/** A list cut to what a person reads at a gate, with how many entries were left out. */
function shortList<T extends z.ZodType>(item: T) {
  return z.strictObject({
    items: z.array(item),
    more: count.describe('Entries left out to keep the review short ("… and N more").'),
  });
}

const text = z
  .string()
  .describe(
    'Text as the artifact holds it (model-written: render it inert), cut to a few hundred characters.',
  );

export const alignmentReviewSchema = z.strictObject({
  phase: z.literal('alignment'),
  attempt,
  verdict: alignmentVerdictSchema,
  spec: z.string().describe('Path of the spec the task was judged against.'),
  requirements: shortList(z.strictObject({ id: z.string(), text, source: text })),
  criteria: shortList(
    z.strictObject({ id: z.string(), text, verifyBy: z.enum(['test', 'command', 'inspection']) }),
  ).describe('The acceptance criteria the implementation is held to.'),
  scope: z.strictObject({
    filesIn: shortList(text),
    filesForbidden: shortList(text),
    outOfScope: shortList(text),
  }),
  questions: shortList(text),
});

export const implementationReviewSchema = z.strictObject({
  phase: z.literal('implementation'),
  attempt,
  baseSha: z.string(),
  headSha: z.string(),
  commits: shortList(z.strictObject({ sha: z.string(), subject: text })),
  files: shortList(fileChangeSchema),
  commands: shortList(z.strictObject({ command: text, exitCode: z.number().int().nullable() })).describe(
    'Commands the agent ran, failed ones kept first when the list is cut.',
  ),
  failedCommands: count.describe('How many commands exited non-zero or were killed.'),
  setup: z
    .string()
    .nullable()
    .describe('One line of what set-up ran; null when the artifact has no set-up record.'),
  summary: text,
  notes: shortList(z.strictObject({ id: z.string(), note: text })),
});

export const verificationReviewSchema = z.strictObject({
  phase: z.literal('verification'),
  attempt,
  verdict: z.enum(['pass', 'fail']),
  criteria: shortList(
    z.strictObject({
      id: z.string(),
      status: criterionResultSchema.shape.status,
      evidence: shortList(evidenceSchema),
    }),
  ),
  checks: shortList(checkSchema.omit({ outputTail: true })),
  setup: z.string().nullable(),
  gaps: shortList(gapSchema),
});

export const commitReviewSchema = z.strictObject({
  phase: z.literal('commit'),
  attempt,
  commitSha: z.string(),
  subject: text,
  pr: z.strictObject({ number: z.number().int(), url: z.string() }).nullable(),
  trailers: shortList(z.strictObject({ key: z.string(), value: text })),
});

/**
 * What a person is asked to approve at a gate (or why a phase stopped), from the artifact of the phase's latest run:
 * the same section on every surface (status comment, job summary, CLI). Lists are cut and texts shortened here,
 * once; every renderer makes the (model-written) text inert for its medium.
 */
export const phaseReviewSchema = z
  .discriminatedUnion('phase', [
    alignmentReviewSchema,
    implementationReviewSchema,
    verificationReviewSchema,
    commitReviewSchema,
  ])
  .meta({ title: 'Phase review', description: "What to review of a phase's latest artifact." });

export type PhaseReview = z.infer<typeof phaseReviewSchema>;
export type ShortList<T> = { items: T[]; more: number };
