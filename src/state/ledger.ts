import { z } from 'zod';
import type { Phase } from '../core/phases.ts';
import { metricsSchema } from './metrics.ts';
import {
  countSchema,
  gatedPhaseSchema,
  gitShaSchema,
  inputRefSchema,
  isoDateTimeSchema,
  loginSchema,
  phaseSchema,
  sessionIdSchema,
  sha256Schema,
  taskIdSchema,
} from './primitives.ts';
import { sessionStatusSchema } from './session-status.ts';

export const LEDGER_SCHEMA_ID = 'ipo.ledger/v1';

/** An object with one `value` per phase (explicit properties, so editors complete the phase names). */
function perPhase<T extends z.ZodType>(value: T) {
  return z.strictObject({
    alignment: value,
    implementation: value,
    verification: value,
    commit: value,
  } satisfies Record<Phase, T>);
}

export const runSchema = z
  .strictObject({
    phase: phaseSchema,
    attempt: countSchema.min(1).describe('Attempt number, from 1.'),
    status: z
      .enum(['running', 'succeeded', 'failed', 'blocked', 'cancelled'])
      .describe('Outcome of the run; `running` until it finishes.'),
    startedAt: isoDateTimeSchema,
    finishedAt: isoDateTimeSchema.optional().describe('When the run finished; absent while running.'),
    baseSha: gitShaSchema.optional().describe('Session-branch commit the run started from.'),
    headSha: gitShaSchema.optional().describe('Session-branch head when the run finished.'),
    inputs: z.array(inputRefSchema).describe('Inputs the run read, with their digests.'),
    output: inputRefSchema.optional().describe('The artifact the run exported, with its digest.'),
    metrics: metricsSchema.optional(),
    error: z.string().optional().describe('Why the run failed or blocked.'),
    unsandboxed: z
      .string()
      .optional()
      .describe(
        "Why the run's untrusted commands ran WITHOUT the OS sandbox (config `sandbox.required: false` and none could start); absent when they were sandboxed or the run had none.",
      ),
    runId: z.string().min(1).optional().describe('GitHub Actions run id, for runs dispatched on GitHub.'),
  })
  .meta({ title: 'Phase run', description: 'One attempt of one phase.' });

export const approvalSchema = z
  .strictObject({
    gate: gatedPhaseSchema,
    approver: loginSchema.describe('Who said the approval phrase.'),
    commentUrl: z.url().optional().describe('The approving comment, for approvals given on GitHub.'),
    approvedDigest: sha256Schema.describe('Digest of the artifact that was approved.'),
    branchHead: gitShaSchema.describe('Session-branch head that was approved.'),
    at: isoDateTimeSchema,
  })
  .meta({
    title: 'Approval',
    description: 'An approval that opened a gate, bound to an artifact and branch head.',
  });

export const ledgerEventSchema = z
  .strictObject({
    at: isoDateTimeSchema,
    type: z
      .string()
      .min(1)
      .describe(
        'Event type, kebab-case: `session-started`, `phase-started`, `approval-refused`, `rollback`, …',
      ),
    actor: loginSchema.optional().describe('Who caused the event, when a person did.'),
    detail: z.string().describe('Human-readable detail.'),
  })
  .meta({ title: 'Ledger event', description: 'One entry of the audit trail.' });

/** The session ledger (`session.json`): the cumulative audit record of one session. */
export const ledgerSchema = z
  .strictObject({
    schema: z.literal(LEDGER_SCHEMA_ID).describe('Document kind and version.'),
    session: sessionIdSchema,
    taskId: taskIdSchema,
    startedBy: loginSchema.describe('Who started the session.'),
    task: z
      .strictObject({
        title: z.string().describe('Task heading text, without the id.'),
        text: z.string().describe('The task section (or issue body), sanitized; what alignment is given.'),
        source: z
          .string()
          .min(1)
          .describe('Where the text came from: `docs/ROADMAP.md#L12` or an issue URL.'),
      })
      .describe('The task this session implements, as alignment received it.'),
    createdAt: isoDateTimeSchema,
    branch: z.string().min(1).describe('Session branch, `ipo/<session>`.'),
    baseBranch: z.string().min(1).describe('Branch the session branch was cut from (the default branch).'),
    status: sessionStatusSchema,
    attempts: perPhase(countSchema).describe('Attempts made so far per phase (0 = never run).'),
    bases: perPhase(gitShaSchema)
      .partial()
      .describe('Session-branch commit each phase last started from; rollback resets to it.'),
    digests: perPhase(sha256Schema).partial().describe("Digest of each phase's latest succeeded artifact."),
    runs: z.array(runSchema).describe('Every phase run, in start order.'),
    approvals: z.array(approvalSchema).describe('Every gate approval, in order.'),
    events: z.array(ledgerEventSchema).describe('Audit trail, in order.'),
  })
  .meta({
    id: 'ledger',
    title: 'Session ledger',
    description:
      'The cumulative record of one ipo session: runs, approvals, digests, metrics (`session.json`).',
  });

export type Ledger = z.infer<typeof ledgerSchema>;
export type Run = z.infer<typeof runSchema>;
export type Approval = z.infer<typeof approvalSchema>;
export type LedgerEvent = z.infer<typeof ledgerEventSchema>;
