import * as core from '@actions/core';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import type { z } from 'zod';
import { createModelClient } from '../agent/model-client.ts';
import { overloadRetryFromEnv } from '../agent/overload-retry.ts';
import { createRedactor } from '../agent/redact.ts';
import { buildCommandEnv, secretEnvValues } from '../agent/tools/index.ts';
import { describeApiFailure } from '../github/describe-api-failure.ts';
import { sandboxHostFrom } from '../sandbox/open-sandbox.ts';
import { formatIssues } from '../state/format-issue.ts';
import {
  type ActionInputs,
  actionInputsSchema,
  INPUT_NAMES,
  preflightInputsSchema,
  writeInputsSchema,
} from './action-inputs.ts';
import type { ActionParams } from './main.ts';
import type { PreflightParams } from './preflight.ts';
import type { WriteParams } from './write-step.ts';

/** The Action's composition root: the only place that reads inputs and env and builds the clients. */
export function composeAction(env: NodeJS.ProcessEnv = process.env): ActionParams {
  const inputs: ActionInputs = readInputs(actionInputsSchema);
  // Mask before anything can print them.
  core.setSecret(inputs.anthropicApiKey);
  core.setSecret(inputs.githubToken);
  const { owner, repo, run } = runContext(env);
  const secrets = [inputs.anthropicApiKey, inputs.githubToken, ...secretEnvValues(env)];
  return {
    inputs,
    repo: { owner, repo },
    // Only comments by the identity that writes the status comment carry state. The seal is not checked here: the
    // key stays out of the job where the model's commands run, and the write job checks it before anything counts.
    trust: { author: inputs.statusAuthor, repo: `${owner}/${repo}`, key: null },
    workspace: required(env, 'GITHUB_WORKSPACE'),
    tempDir: env.RUNNER_TEMP ?? required(env, 'TMPDIR'),
    ...(run ? { run } : {}),
    octokit: actionOctokit(env, inputs.githubToken),
    anthropic: createModelClient({ key: inputs.anthropicApiKey, baseURL: env.ANTHROPIC_BASE_URL }),
    redact: createRedactor(secrets),
    commandEnv: buildCommandEnv(env),
    // On a runner too: an overload lasting minutes must not fail a phase after the SDK's ~8 s of retries.
    overloadRetry: overloadRetryFromEnv(env),
    sandboxHost: sandboxHostFrom(env),
    now: () => new Date(),
    log: { info: core.info, warning: core.warning },
    writeSummary,
  };
}

/** The repository and this run, from the Actions environment. */
function runContext(env: NodeJS.ProcessEnv) {
  const repository = required(env, 'GITHUB_REPOSITORY');
  const [owner, repo] = repository.split('/');
  if (!owner || !repo) throw new Error(`GITHUB_REPOSITORY is "${repository}", expected owner/repo`);
  const serverUrl = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const runId = env.GITHUB_RUN_ID ? Number(env.GITHUB_RUN_ID) : undefined;
  const run = runId
    ? {
        id: runId,
        url: `${serverUrl}/${owner}/${repo}/actions/runs/${runId}`,
        ...(env.GITHUB_SHA ? { sha: env.GITHUB_SHA } : {}),
      }
    : undefined;
  return { owner, repo, serverUrl, run };
}

const ActionOctokit = Octokit.plugin(retry, throttling);
const RATE_LIMIT_RETRIES = 2;
const LONGEST_RATE_LIMIT_WAIT_S = 120;

/**
 * The Action's Octokit, with the retry and throttling plugins Probot gives the app: a 5xx is retried (POSTs too,
 * so every write the job makes must be idempotent — see `ensureDraftPullRequest`), a rate limit waits for GitHub's
 * `retry-after`. `IPO_GITHUB_RETRY_BASE_MS` (1000 by default) scales every wait; tests set it to a few ms.
 * A call that still fails with a 5xx says which call it was.
 */
function actionOctokit(env: NodeJS.ProcessEnv, token: string): Octokit {
  const base = Number(env.IPO_GITHUB_RETRY_BASE_MS ?? 1000);
  const retryAfterBaseValue = Number.isFinite(base) && base >= 0 ? base : 1000;
  const onLimit =
    (kind: string) =>
    (
      retryAfter: number,
      options: { method?: string; url?: string },
      _octokit: unknown,
      retryCount: number,
    ) => {
      // A primary limit can mean an hour's wait: fail with the reason rather than sit out the job's timeout.
      const retrying = retryCount < RATE_LIMIT_RETRIES && retryAfter <= LONGEST_RATE_LIMIT_WAIT_S;
      core.warning(
        `GitHub ${kind} rate limit on ${options.method} ${options.url}: ${retrying ? `retrying in ${retryAfter} s` : 'giving up'}`,
      );
      return retrying;
    };
  const octokit = new ActionOctokit({
    auth: token,
    baseUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
    log: quietLog,
    // plugin-retry leaves 400/401/403/404/410/422/451 alone and retries the rest 3 times, after 1, 4 and 9 waits.
    retry: { retryAfterBaseValue },
    throttle: {
      retryAfterBaseValue,
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
    },
  });
  // Registered after the plugins' hooks, so it wraps them: it sees the error that outlasted the retries.
  octokit.hook.error('request', (error, options) => {
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 500) {
      // plugin-retry counts every failed attempt here, the last one included.
      const attempts = Number((options.request as { retryCount?: unknown } | undefined)?.retryCount ?? 1);
      error.message = `${describeApiFailure(error)} (${attempts} ${attempts === 1 ? 'attempt' : 'attempts'})`;
    }
    throw error;
  });
  return octokit;
}

/**
 * Which step this is: `preflight` (before any download), `phase` (the default: the agent, read-only) or `write`
 * (the write job: checks the agent job's output, then pushes and reports).
 */
export function composeStep(): 'preflight' | 'phase' | 'write' {
  const step = core.getInput('step').trim();
  if (step === '' || step === 'phase') return 'phase';
  if (step === 'preflight' || step === 'write') return step;
  throw new Error(`invalid inputs: input step: expected "preflight", "phase" or "write", got "${step}"`);
}

/** The write step's composition root: the write token and the state key, and no model client at all. */
export function composeWrite(env: NodeJS.ProcessEnv = process.env): WriteParams {
  const inputs = readInputs(writeInputsSchema);
  core.setSecret(inputs.githubToken);
  if (inputs.stateKey) core.setSecret(inputs.stateKey);
  const { owner, repo, serverUrl, run } = runContext(env);
  return {
    inputs,
    repo: { owner, repo },
    trust: { author: inputs.statusAuthor, repo: `${owner}/${repo}`, key: inputs.stateKey ?? null },
    workspace: required(env, 'GITHUB_WORKSPACE'),
    tempDir: env.RUNNER_TEMP ?? required(env, 'TMPDIR'),
    remoteUrl: env.IPO_GIT_URL ?? `${serverUrl}/${owner}/${repo}.git`,
    ...(run ? { run } : {}),
    octokit: actionOctokit(env, inputs.githubToken),
    redact: createRedactor([inputs.githubToken, ...(inputs.stateKey ? [inputs.stateKey] : [])]),
    now: () => new Date(),
    log: { info: core.info, warning: core.warning },
    writeSummary,
  };
}

/** The preflight step's composition root: its inputs, the repository and a client; no model, no secrets besides the token. */
export function composePreflight(env: NodeJS.ProcessEnv = process.env): PreflightParams {
  const inputs = readInputs(preflightInputsSchema);
  core.setSecret(inputs.githubToken);
  const { owner, repo } = runContext(env);
  return {
    inputs,
    repo: { owner, repo },
    workspace: required(env, 'GITHUB_WORKSPACE'),
    octokit: actionOctokit(env, inputs.githubToken),
    trust: { author: inputs.statusAuthor, repo: `${owner}/${repo}`, key: inputs.stateKey ?? null },
    log: { info: core.info },
  };
}

/** Writes the step's job summary (a refusal too, so its reason shows on the run's page). */
export async function writeSummary(markdown: string): Promise<void> {
  await core.summary.addRaw(markdown, true).write();
}

/** The inputs `schema` names, read with `core.getInput` and validated; every problem named by its input. */
function readInputs<S extends z.ZodType>(schema: S): z.output<S> {
  const raw = Object.fromEntries(
    Object.entries(INPUT_NAMES).map(([key, name]) => [key, core.getInput(name)]),
  ) as Record<string, string>;
  for (const key of ['configPath', 'statusAuthor']) if (raw[key] === '') delete raw[key];
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '') as keyof typeof INPUT_NAMES;
      const name = INPUT_NAMES[key] ?? key;
      if (raw[key] === '') return `input ${name} is required`;
      return `input ${name}: ${formatIssues([{ ...issue, path: issue.path.slice(1) }])[0]?.text ?? issue.message}`;
    });
    throw new Error(`invalid inputs: ${problems.join('; ')}`);
  }
  return parsed.data;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set: this action runs inside GitHub Actions`);
  return value;
}

const quietLog = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
