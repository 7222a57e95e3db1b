import * as core from '@actions/core';
import Anthropic from '@anthropic-ai/sdk';
import { Octokit } from '@octokit/rest';
import { createRedactor } from '../agent/redact.ts';
import { buildCommandEnv, secretEnvValues } from '../agent/tools/index.ts';
import { formatIssues } from '../state/format-issue.ts';
import { type ActionInputs, actionInputsSchema, INPUT_NAMES } from './action-inputs.ts';
import type { ActionParams } from './main.ts';

/** The Action's composition root: the only place that reads inputs and env and builds the clients. */
export function composeAction(env: NodeJS.ProcessEnv = process.env): ActionParams {
  const raw = Object.fromEntries(
    Object.entries(INPUT_NAMES).map(([key, name]) => [key, core.getInput(name)]),
  ) as Record<string, string>;
  for (const key of ['configPath', 'statusAuthor']) if (raw[key] === '') delete raw[key];
  const parsed = actionInputsSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '') as keyof typeof INPUT_NAMES;
      const name = INPUT_NAMES[key] ?? key;
      if (raw[key] === '') return `input ${name} is required`;
      return `input ${name}: ${formatIssues([{ ...issue, path: issue.path.slice(1) }])[0]?.text ?? issue.message}`;
    });
    throw new Error(`invalid inputs: ${problems.join('; ')}`);
  }
  const inputs: ActionInputs = parsed.data;
  // Mask before anything can print them.
  core.setSecret(inputs.anthropicApiKey);
  core.setSecret(inputs.githubToken);
  if (inputs.stateKey) core.setSecret(inputs.stateKey);
  const repository = required(env, 'GITHUB_REPOSITORY');
  const [owner, repo] = repository.split('/');
  if (!owner || !repo) throw new Error(`GITHUB_REPOSITORY is "${repository}", expected owner/repo`);
  const serverUrl = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const runId = env.GITHUB_RUN_ID ? Number(env.GITHUB_RUN_ID) : undefined;
  const secrets = [
    inputs.anthropicApiKey,
    inputs.githubToken,
    ...(inputs.stateKey ? [inputs.stateKey] : []),
    ...secretEnvValues(env),
  ];
  return {
    inputs,
    repo: { owner, repo },
    // Only comments by the identity that writes the status comment carry state, sealed with the repository's key.
    trust: { author: inputs.statusAuthor, repo: `${owner}/${repo}`, key: inputs.stateKey ?? null },
    workspace: required(env, 'GITHUB_WORKSPACE'),
    tempDir: env.RUNNER_TEMP ?? required(env, 'TMPDIR'),
    remoteUrl: env.IPO_GIT_URL ?? `${serverUrl}/${owner}/${repo}.git`,
    ...(runId ? { run: { id: runId, url: `${serverUrl}/${owner}/${repo}/actions/runs/${runId}` } } : {}),
    octokit: new Octokit({
      auth: inputs.githubToken,
      baseUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
      log: quietLog,
    }),
    anthropic: new Anthropic({
      apiKey: inputs.anthropicApiKey,
      ...(env.ANTHROPIC_BASE_URL ? { baseURL: env.ANTHROPIC_BASE_URL } : {}),
      maxRetries: 4,
      logLevel: 'off',
    }),
    redact: createRedactor(secrets),
    commandEnv: buildCommandEnv(env),
    now: () => new Date(),
    log: { info: core.info, warning: core.warning },
    writeSummary: async (markdown) => {
      await core.summary.addRaw(markdown, true).write();
    },
  };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set: this action runs inside GitHub Actions`);
  return value;
}

const quietLog = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
