import { z } from 'zod';
import { ALLOW_ENTRY_PATTERN, describeBadAllowEntry } from '../core/network/allow-entry.ts';
import type { Phase } from '../core/phases.ts';
import { loginSchema } from './primitives.ts';

export const DEFAULT_MODEL = 'claude-sonnet-5-5';

interface PhaseDefaults {
  maxTurns: number;
  maxInputTokens: number;
  maxOutputTokens: number;
  wallTimeSeconds: number;
  maxTokensPerCall: number;
  context: typeof CONTEXT_DEFAULTS;
}

/**
 * Context management inside a phase, the same for every phase. The 6 most recent results cover one edit–test
 * loop (read, edit, run, read the output, …); clearing waits until old results pass 30,000 tokens and then clears
 * down to 10,000, so each batch frees at least 20,000 tokens and the cached prompt prefix is rewritten once per
 * batch, not on every turn (measured in test/agent/run-agent-context.test.ts: clearing every turn billed 2.7× the
 * input of no management, these defaults 0.83× with a quarter of the peak context).
 */
const CONTEXT_DEFAULTS = {
  strategy: 'clear-tool-results',
  keepRecent: 6,
  triggerTokens: 30_000,
  targetTokens: 10_000,
} as const satisfies Record<string, string | number>;

/** Room for adaptive thinking and a whole `write_file` in one answer, under the SDK's non-streaming ceiling. */
const MAX_TOKENS_PER_CALL = 16_000;

/** Budgets when the config says nothing: implementation does the most work, commit the least. */
export const PHASE_DEFAULTS: Record<Phase, PhaseDefaults> = {
  alignment: {
    maxTurns: 30,
    maxInputTokens: 600_000,
    maxOutputTokens: 24_000,
    wallTimeSeconds: 600,
    maxTokensPerCall: MAX_TOKENS_PER_CALL,
    context: CONTEXT_DEFAULTS,
  },
  implementation: {
    maxTurns: 80,
    maxInputTokens: 3_000_000,
    maxOutputTokens: 64_000,
    wallTimeSeconds: 1_800,
    maxTokensPerCall: MAX_TOKENS_PER_CALL,
    context: CONTEXT_DEFAULTS,
  },
  verification: {
    maxTurns: 40,
    maxInputTokens: 1_000_000,
    maxOutputTokens: 24_000,
    wallTimeSeconds: 1_200,
    maxTokensPerCall: MAX_TOKENS_PER_CALL,
    context: CONTEXT_DEFAULTS,
  },
  commit: {
    maxTurns: 10,
    maxInputTokens: 50_000,
    maxOutputTokens: 2_000,
    wallTimeSeconds: 300,
    maxTokensPerCall: MAX_TOKENS_PER_CALL,
    context: CONTEXT_DEFAULTS,
  },
};

const positiveInt = () => z.number().int().positive();

/** Levels of the Messages API's `output_config.effort`. */
export const EFFORTS = ['low', 'medium', 'high', 'xhigh', 'max'] as const;

/** `phases.<phase>.context`; see `CONTEXT_DEFAULTS` for why the defaults are what they are. */
function contextSchema() {
  return z
    .strictObject({
      strategy: z
        .enum(['clear-tool-results', 'server', 'off'])
        .default(CONTEXT_DEFAULTS.strategy)
        .refine((s) => s !== 'server', {
          message:
            '"server" (the API\'s own context editing, `clear_tool_uses_20250919`) is not supported yet: the replay server cannot measure it offline. Use "clear-tool-results" or "off"',
        })
        .describe(
          "`clear-tool-results`: old tool results are replaced by a stub naming what was cleared and how to get it back; `off`: the conversation is never edited. `server` (the API's context editing) is not supported yet.",
        ),
      keepRecent: z
        .number()
        .int()
        .min(0)
        .default(CONTEXT_DEFAULTS.keepRecent)
        .describe('The most recent tool results that always stay whole.'),
      triggerTokens: positiveInt()
        .default(CONTEXT_DEFAULTS.triggerTokens)
        .describe('Clearing starts when the uncleared tool results pass this many (estimated) tokens...'),
      targetTokens: z
        .number()
        .int()
        .min(0)
        .default(CONTEXT_DEFAULTS.targetTokens)
        .describe('...and clears the oldest until they are at most this many.'),
    })
    .refine((c) => c.targetTokens < c.triggerTokens, {
      message:
        'targetTokens must be below triggerTokens, or every turn would clear (and rewrite the prompt cache)',
      path: ['targetTokens'],
    })
    .prefault({})
    .describe(
      'How old tool results are cleared inside the phase, so a long phase does not re-send every earlier result on every call. Tools that read take `keep: true` to keep a result whole.',
    );
}

function phaseConfigSchema(phase: Phase) {
  const d = PHASE_DEFAULTS[phase];
  return z
    .strictObject({
      model: z.string().min(1).optional().describe('Model for this phase; `defaultModel` when absent.'),
      maxTurns: positiveInt().default(d.maxTurns).describe('Most model calls the phase may make.'),
      maxInputTokens: positiveInt()
        .default(d.maxInputTokens)
        .describe(
          'Most input tokens the whole phase may process over all its calls (cache reads and writes included).',
        ),
      maxOutputTokens: positiveInt()
        .default(d.maxOutputTokens)
        .describe(
          'Most output tokens the whole phase may generate; each call asks for at most what is left.',
        ),
      wallTimeSeconds: positiveInt()
        .default(d.wallTimeSeconds)
        .describe('Wall-time limit of the whole phase.'),
      thinking: z
        .enum(['adaptive', 'disabled'])
        .optional()
        .describe(
          "Sent as `thinking.type`; absent: the model's default (the default model thinks adaptively). Thinking tokens count against `maxTokensPerCall` and `maxOutputTokens`.",
        ),
      effort: z
        .enum(EFFORTS)
        .optional()
        .describe(
          "Sent as `output_config.effort`; absent: the model's default (`high` on the default model).",
        ),
      maxTokensPerCall: positiveInt()
        .max(21_333)
        .default(d.maxTokensPerCall)
        .describe(
          '`max_tokens` of each call, thinking included; doubled (within `maxOutputTokens`) when an answer is cut off. At most 21,333: the SDK refuses larger non-streaming calls.',
        ),
      context: contextSchema(),
    })
    .prefault({})
    .describe(`Model and budgets of the ${phase} phase.`);
}

/** The repository config, `.github/ipo.yml`; every field has a default so an empty file is valid. */
export const configSchema = z
  .strictObject({
    spec: z
      .string()
      .min(1)
      .default('docs/SPEC.md')
      .describe('Path of the product spec alignment checks against.'),
    tasks: z
      .string()
      .min(1)
      .default('docs/ROADMAP.md')
      .describe('Path of the roadmap/tasks file whose `X.Y` sections are the tasks.'),
    approvers: z
      .array(loginSchema)
      .default([])
      .describe('Logins allowed to give commands in addition to people with write access.'),
    requireDistinctApprover: z
      .boolean()
      .default(false)
      .describe('Refuse approvals from the person who started the session.'),
    defaultModel: z.string().min(1).default(DEFAULT_MODEL).describe('Model for phases that name none.'),
    phases: z
      .strictObject({
        alignment: phaseConfigSchema('alignment'),
        implementation: phaseConfigSchema('implementation'),
        verification: phaseConfigSchema('verification'),
        commit: phaseConfigSchema('commit'),
      })
      .prefault({})
      .describe('Per-phase model and budgets.'),
    verification: z
      .strictObject({
        commands: z
          .array(z.string().min(1))
          .default(['npm test'])
          .describe('Shell command lines the verification phase runs itself, in order.'),
        timeoutSeconds: positiveInt().default(900).describe('Time limit of each command.'),
        setup: z
          .union([z.literal('auto'), z.array(z.string().min(1))], {
            error: '`auto` or a list of shell command lines such as [npm ci] ([] for no set-up)',
          })
          .default('auto')
          .describe(
            'Commands run in the sandbox before the implementation agent starts and before the checks (installing ' +
              'dependencies). `auto`: the install command of the lockfile at the repository root (package-lock.json ' +
              '→ `npm ci`, pnpm-lock.yaml, yarn.lock, bun.lock, uv.lock, poetry.lock, Pipfile.lock, ' +
              'requirements.txt into `.venv`); a list: those shell command lines, in order; `[]`: none.',
          ),
      })
      .prefault({})
      .describe('Checks the verification phase runs before judging the criteria.'),
    sandbox: z
      .strictObject({
        required: z
          .boolean()
          .default(true)
          .describe(
            "Refuse to run untrusted commands (the agent's and the verification checks) when no OS sandbox " +
              '(bubblewrap) can run. `false` runs them unsandboxed instead, and every result says so.',
          ),
        network: z
          .strictObject({
            // A pattern, not a refine: the schema is exported as JSON Schema. The message names the entry and
            // what to write instead (a URL → its host name).
            allow: z
              .array(
                z
                  .string()
                  .regex(ALLOW_ENTRY_PATTERN, { error: (issue) => describeBadAllowEntry(issue.input) }),
              )
              .default([])
              .describe(
                "Hosts sandboxed commands may reach through ipo's proxy (the network is otherwise off): a host " +
                  'name (`registry.npmjs.org`), `*.` and a domain for its subdomains (`*.pythonhosted.org`), or an ' +
                  'IP address (`10.0.0.5`, `[fd00::1]`), each with an optional `:port` (without one: 80 and 443). ' +
                  'A name whose address is loopback, link-local or private is refused unless the list also ' +
                  'names that address.',
              ),
            setup: z
              .union(
                [
                  z.literal('auto'),
                  z.array(
                    z
                      .string()
                      .regex(ALLOW_ENTRY_PATTERN, { error: (issue) => describeBadAllowEntry(issue.input) }),
                  ),
                ],
                {
                  error: '`auto` or a list of host names such as [registry.npmjs.org] ([] for none)',
                },
              )
              .default('auto')
              .describe(
                'Hosts only the set-up commands may reach, besides `allow`. `auto`: the default registry of each ' +
                  'package manager `verification.setup: auto` chose (registry.npmjs.org, registry.yarnpkg.com, ' +
                  'pypi.org and files.pythonhosted.org, …); a list replaces them (name your own registry, or `[]` ' +
                  'for an install that needs no network).',
              ),
          })
          .prefault({})
          .describe('Network access of sandboxed commands.'),
      })
      .prefault({})
      .describe("The OS sandbox (bubblewrap) around the agent's commands and the verification checks."),
    // A key some configs still carry: refused with the reason instead of "did you mean phases".
    phrases: z
      .never({
        error:
          'the approval phrases are fixed (`proceed to implementation`, `proceed to verification`, ' +
          '`proceed to commit`): remove `phrases`',
      })
      .optional()
      .describe('Not supported: the approval phrases are fixed.'),
    commit: z
      .strictObject({
        type: z
          .enum([
            'feat',
            'fix',
            'refactor',
            'perf',
            'docs',
            'test',
            'build',
            'ci',
            'chore',
            'style',
            'revert',
          ])
          .default('feat')
          .describe('Conventional Commit type of the squashed commit.'),
        scope: z.string().min(1).optional().describe('Conventional Commit scope, `type(scope): …`.'),
        assistedBy: z.boolean().default(true).describe('Add an `Assisted-by: <model>` trailer.'),
      })
      .prefault({})
      .describe('How the commit phase writes the squashed commit.'),
    workflow: z
      .string()
      .min(1)
      .default('ipo.yml')
      .describe(
        'Workflow file (in .github/workflows on the default branch) the app dispatches for each phase.',
      ),
    allowForks: z.boolean().default(false).describe('Accept sessions whose pull request comes from a fork.'),
    allowWorkflowChanges: z
      .boolean()
      .default(false)
      .describe(
        'Let a session push changes under `.github/workflows/` (off: the write job refuses such commits, since a workflow on any branch can run with the repository’s secrets).',
      ),
  })
  .meta({
    id: 'config',
    title: 'ipo repository config',
    description:
      'Configuration of isolated-phase-orchestrator, read from `.github/ipo.yml` on the default branch.',
  });

export type Config = z.output<typeof configSchema>;
/** The config as written in the file: everything optional. */
export type ConfigInput = z.input<typeof configSchema>;
export type PhaseConfig = Config['phases'][Phase];
