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

/** The action's inputs as `core.getInput` returns them (strings), validated and typed. */
export const actionInputsSchema = z.object({
  phase: phaseSchema,
  session: sessionIdSchema,
  attempt: positiveInt('attempt'),
  issueNumber: positiveInt('issue-number'),
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
  githubToken: z.string().min(1, 'github-token is required'),
  model: optional,
  configPath: z.string().min(1).default('.github/ipo.yml'),
  feedback: optional,
  requestedBy: optional,
  commentUrl: optional,
  stateKey: optional,
  statusAuthor: z.string().trim().min(1).default('github-actions[bot]'),
});

export type ActionInputs = z.output<typeof actionInputsSchema>;

/** Input names as action.yml spells them. */
export const INPUT_NAMES: Record<keyof z.input<typeof actionInputsSchema>, string> = {
  phase: 'phase',
  session: 'session',
  attempt: 'attempt',
  issueNumber: 'issue-number',
  approvedSha: 'approved-sha',
  stateDir: 'state-dir',
  outDir: 'out-dir',
  anthropicApiKey: 'anthropic-api-key',
  githubToken: 'github-token',
  model: 'model',
  configPath: 'config-path',
  feedback: 'feedback',
  requestedBy: 'requested-by',
  commentUrl: 'comment-url',
  stateKey: 'state-key',
  statusAuthor: 'status-author',
};
