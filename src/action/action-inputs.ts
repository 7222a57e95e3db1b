import { z } from 'zod';
import { phaseSchema, sessionIdSchema } from '../state/primitives.ts';

const positiveInt = (name: string) =>
  z
    .string()
    .regex(/^[1-9]\d*$/, `${name} must be a positive whole number`)
    .transform(Number);
const optional = z
  .string()
  .transform((v) => (v.trim() === '' ? undefined : v.trim()))
  .optional();

/** What both steps of a phase job are told about the run (the dispatch's inputs, as the workflow passes them). */
const dispatchInputs = {
  phase: phaseSchema,
  session: sessionIdSchema,
  attempt: positiveInt('attempt'),
  issueNumber: positiveInt('issue-number'),
  /** The comment that gave the command: the job reads the command, its author and its time from GitHub. */
  commentId: positiveInt('comment-id'),
  githubToken: z.string().min(1, 'github-token is required'),
  configPath: z.string().min(1).default('.github/ipo.yml'),
  /** Whose status comments carry state: ipo's bot (the app's `<slug>[bot]`, else `github-actions[bot]`). */
  statusAuthor: z.string().trim().min(1).default('github-actions[bot]'),
};

/** The repository's state key (secret IPO_STATE_KEY): it seals the status comment; absent, it is unsigned. */
const stateKey = optional;

/** An input a step must not be given: the secret belongs to another job (see ipo-phase.yml). */
const forbidden = (why: string) =>
  z
    .string()
    .refine((v) => v.trim() === '', why)
    .optional();

const approvedSha = z
  .string()
  .transform((v) => v.trim())
  .pipe(
    z.union([
      z.literal(''),
      z.string().regex(/^[0-9a-f]{40}$/, 'approved-sha must be a 40-character commit sha'),
    ]),
  )
  .transform((v) => v || undefined);

/** The phase (agent) step's inputs as `core.getInput` returns them (strings), validated and typed. */
export const actionInputsSchema = z.object({
  ...dispatchInputs,
  approvedSha,
  stateDir: z.string().min(1, 'state-dir is required'),
  outDir: z.string().min(1, 'out-dir is required'),
  // The model's commands run in this job: the key that seals the status comment stays in the write job.
  stateKey: forbidden(
    'the phase step runs the model and holds no state key: pass state-key to the write step (step: write) only',
  ),
  anthropicApiKey: z
    .string()
    .min(1, 'anthropic-api-key is required (a repository secret, e.g. ANTHROPIC_API_KEY)'),
  model: optional,
});

export type ActionInputs = z.output<typeof actionInputsSchema>;

/** The preflight step's inputs: enough to check the dispatch before any state is downloaded. */
export const preflightInputsSchema = z.object({
  ...dispatchInputs,
  stateKey,
  previousRunId: z
    .string()
    .transform((v) => v.trim())
    .pipe(z.union([z.literal(''), positiveInt('previous-run-id')]))
    .transform((v) => (v === '' ? undefined : v)),
});

export type PreflightInputs = z.output<typeof preflightInputsSchema>;

/**
 * The write step's inputs: the agent job's upload (`agent-dir`) and the previous run's state, checked before it
 * pushes, opens the PR and seals the status comment. No model key: it runs no model.
 */
export const writeInputsSchema = z.object({
  ...dispatchInputs,
  stateKey,
  approvedSha,
  stateDir: z.string().min(1, 'state-dir is required'),
  outDir: z.string().min(1, 'out-dir is required'),
  agentDir: z.string().min(1, "agent-dir is required (where the agent job's artifact was downloaded)"),
  anthropicApiKey: forbidden('the write step runs no model: pass anthropic-api-key to the phase step only'),
  /**
   * Whether `github-token` may push `.github/workflows/*`: GitHub refuses that to a token without the `workflows`
   * permission, which a job's GITHUB_TOKEN never has; only a GitHub App token with "Workflows: write" (or a PAT
   * with the `workflow` scope) may.
   */
  workflowsWrite: z
    .string()
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.enum(['', 'true', 'false'], { message: 'workflows-write must be true or false' }))
    .transform((v) => v === 'true')
    .optional()
    .transform((v) => v ?? false),
});

export type WriteInputs = z.output<typeof writeInputsSchema>;

/** Input names as action.yml spells them. */
export const INPUT_NAMES: Record<
  | keyof z.input<typeof actionInputsSchema>
  | keyof z.input<typeof preflightInputsSchema>
  | keyof z.input<typeof writeInputsSchema>,
  string
> = {
  phase: 'phase',
  session: 'session',
  attempt: 'attempt',
  issueNumber: 'issue-number',
  commentId: 'comment-id',
  previousRunId: 'previous-run-id',
  approvedSha: 'approved-sha',
  stateDir: 'state-dir',
  outDir: 'out-dir',
  agentDir: 'agent-dir',
  anthropicApiKey: 'anthropic-api-key',
  githubToken: 'github-token',
  model: 'model',
  configPath: 'config-path',
  stateKey: 'state-key',
  statusAuthor: 'status-author',
  workflowsWrite: 'workflows-write',
};
