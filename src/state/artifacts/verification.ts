import { z } from 'zod';
import { acIdSchema, countSchema, textSchema } from '../primitives.ts';

/*
 * Split of the verification artifact: the orchestrator runs the configured checks itself and records `checks`;
 * the model submits `criteria` and `gaps`; the orchestrator then sets `verdict`, which is `pass` only when every
 * check passed and every acceptance criterion is `pass` with at least one piece of evidence.
 */

export const checkSchema = z
  .strictObject({
    command: z.string().min(1).describe('The configured verification command.'),
    exitCode: z
      .number()
      .int()
      .nullable()
      .describe('Exit code; null when the command was killed (time limit or signal).'),
    durationMs: countSchema.describe('Wall time in milliseconds.'),
    outputTail: z.string().max(8000).describe('Last lines of combined stdout/stderr, secrets redacted.'),
    kind: z
      .enum(['passed', 'test-failure', 'environment-failure'])
      .describe(
        '`environment-failure` = the command could not run (missing tool, timeout, crash), apart from failing tests.',
      ),
  })
  .meta({ title: 'Check', description: 'One configured command the verification phase ran itself.' });

/*
 * One record of set-up, the same in the implementation and verification artifacts: each command is recorded like a
 * check (a failed one is always an environment failure), with why those commands ran, the network they had and
 * what they left in the workspace that ipo keeps out of commits.
 */
export const setupSchema = z
  .strictObject({
    source: z
      .string()
      .min(1)
      .describe(
        'Why these commands: `auto: <lockfile>`, `auto: no lockfile at the root`, or `verification.setup`.',
      ),
    commands: z
      .array(checkSchema)
      .describe('Set-up commands in order; the first that fails is the last run.'),
    network: z.array(z.string().min(1)).describe('Hosts the set-up commands could reach; empty: none.'),
    untracked: z
      .array(z.string().min(1))
      .describe(
        'Untracked paths set-up left in the workspace (e.g. `node_modules/`), never committed by ipo.',
      ),
  })
  .meta({
    title: 'Set-up',
    description:
      'The commands ipo ran in the sandbox before the agent or the checks (installing dependencies).',
  });

export const evidenceSchema = z
  .strictObject({
    kind: z.enum(['test', 'command', 'file']).describe('A test, a command result, or a place in a file.'),
    ref: z.string().min(1).max(500).describe('Test name, command line, or `path:line`.'),
    detail: textSchema(1000).describe('What this evidence shows.'),
  })
  .meta({ title: 'Evidence', description: 'Something that shows a criterion holds (or does not).' });

export const criterionResultSchema = z
  .strictObject({
    id: acIdSchema,
    status: z.enum(['pass', 'fail', 'partial', 'unverified']).describe('Judgement of the criterion.'),
    evidence: z.array(evidenceSchema).describe('Evidence for the judgement; `pass` needs at least one.'),
  })
  .meta({
    title: 'Criterion result',
    description: 'The judgement of one acceptance criterion, with evidence.',
  });

export const gapSchema = z
  .strictObject({
    kind: z
      .enum(['missing', 'partial', 'contradicts', 'unrequested'])
      .describe('`unrequested` = a change outside the aligned scope.'),
    detail: textSchema(1000).describe('What is missing, partial, contradictory or unrequested.'),
    path: z.string().min(1).optional().describe('File the gap concerns, if one.'),
  })
  .meta({ title: 'Gap', description: 'A difference between what was aligned and what was implemented.' });

/** What the verification model submits through its `submit_result` tool. */
export const verificationSubmissionSchema = z
  .strictObject({
    criteria: z.array(criterionResultSchema).describe('One result per acceptance criterion.'),
    gaps: z.array(gapSchema).describe('Gaps found; empty when none.'),
  })
  .meta({
    id: 'verification-submission',
    title: 'Verification submission',
    description: 'What the verification agent submits: a judgement per criterion and the gaps it found.',
  });

/** The verification artifact body: checks and verdict from the orchestrator, plus the submission. */
export const verificationBodySchema = z
  .strictObject({
    setup: setupSchema
      .optional()
      .describe('Set-up run before the checks (absent in artifacts from before set-up existed).'),
    checks: z.array(checkSchema).describe('Configured commands, run by the orchestrator, in order.'),
    ...verificationSubmissionSchema.shape,
    verdict: z
      .enum(['pass', 'fail'])
      .describe('`pass` only when every check passed and every criterion passed with evidence.'),
  })
  .meta({
    id: 'verification-body',
    title: 'Verification artifact body',
    description: 'Whether the implementation meets the acceptance criteria, with evidence (ARCHITECTURE §2).',
  });

export type VerificationSubmission = z.infer<typeof verificationSubmissionSchema>;
export type VerificationBody = z.infer<typeof verificationBodySchema>;
export type Check = z.infer<typeof checkSchema>;
export type Setup = z.infer<typeof setupSchema>;
export type CriterionResult = z.infer<typeof criterionResultSchema>;
