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
  /** The repository's state key (secret IPO_STATE_KEY): it seals the status comment; absent, it is unsigned. */
  stateKey: optional,
  /** Whose status comments carry state: ipo's bot (the app's `<slug>[bot]`, else `github-actions[bot]`). */
  statusAuthor: z.string().trim().min(1).default('github-actions[bot]'),
};

/** The phase step's inputs as `core.getInput` returns them (strings), validated and typed. */
export const actionInputsSchema = z.object({
  ...dispatchInputs,
  approvedSha: z
    .string()
    .transform((v) => v.trim())
    .pipe(
      z.union([
        z.literal(''),
        z.string().regex(/^[0-9a-f]{40}$/, 'approved-sha must be a 40-character commit sha'),
      ]),
    )
    .transform((v) => v || undefined),
  stateDir: z.string().min(1, 'state-dir is required'),
  outDir: z.string().min(1, 'out-dir is required'),
  anthropicApiKey: z
    .string()
    .min(1, 'anthropic-api-key is required (a repository secret, e.g. ANTHROPIC_API_KEY)'),
  model: optional,
});

export type ActionInputs = z.output<typeof actionInputsSchema>;

/** The preflight step's inputs: enough to check the dispatch before any state is downloaded. */
export const preflightInputsSchema = z.object({
  ...dispatchInputs,
  previousRunId: z
    .string()
    .transform((v) => v.trim())
    .pipe(z.union([z.literal(''), positiveInt('previous-run-id')]))
    .transform((v) => (v === '' ? undefined : v)),
});

export type PreflightInputs = z.output<typeof preflightInputsSchema>;

/** Input names as action.yml spells them. */
export const INPUT_NAMES: Record<
  keyof z.input<typeof actionInputsSchema> | keyof z.input<typeof preflightInputsSchema>,
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
  anthropicApiKey: 'anthropic-api-key',
  githubToken: 'github-token',
  model: 'model',
  configPath: 'config-path',
  stateKey: 'state-key',
  statusAuthor: 'status-author',
};
