import { z } from 'zod';
import { gitShaSchema } from '../primitives.ts';

/*
 * Split of the commit artifact: the commit phase is mechanical (squash, trailers, push, PR ready), so the model
 * submits at most a subject line; the orchestrator builds the message and fills everything else.
 */

export const trailerSchema = z
  .strictObject({
    key: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9-]*$/, { error: 'expected a trailer key like "Ipo-Session"' })
      .describe('Trailer key, e.g. `Ipo-Session`, `Approved-by`.'),
    value: z.string().min(1).describe('Trailer value.'),
  })
  .meta({ title: 'Trailer', description: 'One git trailer line of the commit message.' });

/** What a commit-phase model may submit: the subject line only. */
export const commitSubmissionSchema = z
  .strictObject({
    subject: z
      .string()
      .min(1)
      .max(72)
      .describe('Commit subject without the `type(scope): ` prefix, imperative mood, no trailing period.'),
  })
  .meta({
    id: 'commit-submission',
    title: 'Commit submission',
    description: 'What a commit-phase model may submit: the subject line of the squashed commit.',
  });

/** The commit artifact body, filled by the orchestrator. */
export const commitBodySchema = z
  .strictObject({
    commitSha: gitShaSchema.describe('The squashed commit pushed to the session branch.'),
    message: z.string().min(1).describe('Full commit message, trailers included.'),
    trailers: z
      .array(trailerSchema)
      .describe('Trailers in message order; a list because keys repeat (one `Approved-by` per gate).'),
    pr: z
      .strictObject({
        number: z.number().int().positive().describe('Pull request number.'),
        url: z.url().describe('Pull request web URL.'),
      })
      .nullable()
      .describe('The pull request marked ready for review; null for local sessions without one.'),
  })
  .meta({
    id: 'commit-body',
    title: 'Commit artifact body',
    description: 'The single Conventional Commit the session produced (ARCHITECTURE §2).',
  });

export type CommitSubmission = z.infer<typeof commitSubmissionSchema>;
export type CommitBody = z.infer<typeof commitBodySchema>;
export type Trailer = z.infer<typeof trailerSchema>;
