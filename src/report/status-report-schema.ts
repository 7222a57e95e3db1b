import { z } from 'zod';
import { runSchema } from '../state/ledger.ts';
import {
  isoDateTimeSchema,
  loginSchema,
  phaseSchema,
  sessionIdSchema,
  taskIdSchema,
} from '../state/primitives.ts';
import { sessionStatusSchema } from '../state/session-status.ts';

export const STATUS_REPORT_SCHEMA_ID = 'ipo.status/v1';

const count = z.number().int().min(0);

/** Figures shared by a phase row and the totals; null where no run recorded any (nothing ran, or no metrics yet). */
const figureFields = {
  durationMs: count
    .nullable()
    .describe(
      'Wall time of every attempt added up; a running attempt counts up to `now` when one was given.',
    ),
  inputTokens: count
    .nullable()
    .describe('Input tokens processed, cache writes and cache reads included, over every attempt.'),
  outputTokens: count.nullable().describe('Output tokens generated over every attempt.'),
  cacheReadInputTokens: count.nullable().describe('Part of `inputTokens` read from the prompt cache.'),
  costUsd: z.number().min(0).nullable().describe('Estimated cost in US dollars over every attempt.'),
};

export const phaseFiguresSchema = z
  .strictObject({
    phase: phaseSchema,
    state: z
      .enum(['pending', ...runSchema.shape.status.options])
      .describe('Status of the latest run of the phase; `pending` if it never ran.'),
    attempt: z.number().int().min(1).nullable().describe('Attempt number of the latest run; null if none.'),
    runs: z.number().int().min(0).describe('How many runs of the phase the ledger holds.'),
    startedAt: isoDateTimeSchema.nullable().describe('When the latest run started.'),
    finishedAt: isoDateTimeSchema.nullable().describe('When the latest run finished; null while it runs.'),
    error: z.string().nullable().describe('Why the latest run failed or blocked; null otherwise.'),
    unsandboxed: z
      .strictObject({
        attempts: z
          .array(z.number().int().min(1))
          .min(1)
          .describe('The attempts whose commands ran unsandboxed.'),
        reason: z.string().describe('Why no sandbox could run, as the latest of them recorded it.'),
      })
      .nullable()
      .describe(
        'When attempts of the phase ran their untrusted commands WITHOUT the OS sandbox (config `sandbox.required: false`); null when none did, or when the report is built from the status marker alone.',
      ),
    ...figureFields,
  })
  .meta({ title: 'Phase figures', description: 'One row of the status table.' });

export const workflowRunSchema = z
  .strictObject({
    phase: phaseSchema,
    attempt: z.number().int().min(1),
    runId: z.number().int().positive().describe('GitHub Actions workflow run id.'),
    conclusion: z.string().min(1).nullable().describe("The run's conclusion, when known."),
  })
  .meta({ title: 'Workflow run', description: 'A GitHub Actions run of one attempt of one phase.' });

/**
 * The one status report of a session (ARCHITECTURE §10), and what `ipo status --json` prints. Built from the ledger
 * (job, CLI) or from the status marker alone (the app between jobs: no figures, no task title); every surface —
 * status comment, job summary, CLI, sandbox — renders it. Fields are only ever added within `ipo.status/v1`; a
 * rename or removal bumps the version, so scripts can rely on it.
 */
export const statusReportSchema = z
  .strictObject({
    schema: z.literal(STATUS_REPORT_SCHEMA_ID).describe('Document kind and version.'),
    session: sessionIdSchema,
    task: z
      .strictObject({
        id: taskIdSchema,
        title: z
          .string()
          .nullable()
          .describe(
            'Task heading text, without the id; null in a report built from the status marker alone.',
          ),
        source: z
          .string()
          .min(1)
          .nullable()
          .describe(
            'Where the task text came from (a file anchor or an issue URL); null from the marker alone.',
          ),
      })
      .describe('The task the session implements.'),
    branch: z.string().min(1).describe('Session branch.'),
    baseBranch: z.string().min(1).describe('Branch the session branch was cut from.'),
    startedBy: loginSchema,
    state: z
      .string()
      .min(1)
      .describe('State label: `aligning`, `awaiting:verification`, `blocked:commit`, …'),
    status: sessionStatusSchema,
    next: z
      .array(
        z.strictObject({
          phrase: z.string().min(1).describe('The exact command phrase, as written in a comment.'),
          cli: z.string().min(1).describe('The same command for the CLI, e.g. `ipo proceed verification`.'),
        }),
      )
      .describe('Commands the session accepts now, in the order shown to people (`ipo status` left out).'),
    phases: z.array(phaseFiguresSchema).describe('One row per phase, in phase order.'),
    totals: z.strictObject(figureFields).describe('The phase figures added up.'),
    workflowRuns: z
      .array(workflowRunSchema)
      .describe(
        'GitHub Actions runs of the phases, as far as known, in phase then attempt order; [] off GitHub.',
      ),
    latestRunId: z
      .number()
      .int()
      .positive()
      .nullable()
      .describe('The run whose artifact holds the latest state of the session; null when none is known.'),
  })
  .meta({ id: 'status', title: 'Session status report', description: 'The output of `ipo status --json`.' });

export type PhaseFigures = z.infer<typeof phaseFiguresSchema>;
export type PhaseState = PhaseFigures['state'];
export type FigureTotals = StatusReport['totals'];
export type WorkflowRun = z.infer<typeof workflowRunSchema>;
export type StatusReport = z.infer<typeof statusReportSchema>;
