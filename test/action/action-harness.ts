import { execFile, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type ReplayServer, startReplayServer } from '../../src/replay/replay-server.ts';
import type { ReplayScript } from '../../src/replay/script-schema.ts';
import { type LocalGitHub, startLocalGitHub } from '../support/github/local-github.ts';
import { localOctokit } from '../support/github/local-octokit.ts';

const exec = promisify(execFile);
export const DIST = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
export const EXAMPLE = fileURLToPath(new URL('../../examples/demo-repo', import.meta.url));
export const TOKEN = 'ghs_localtesttoken0123456789';
export const OWNER = 'acme';
export const REPO = 'tally';

export interface ActionRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  outDir: string;
}

export interface ActionHarness {
  github: LocalGitHub;
  replay: ReplayServer;
  root: string;
  issueNumber: number;
  /** Runs dist/index.js the way a runner would: fresh checkout at `sha`, state from `stateFrom`'s out-dir. */
  runPhase(params: {
    phase: string;
    session: string;
    attempt?: number;
    approvedSha?: string;
    stateFrom?: string;
    requestedBy?: string;
    feedback?: string;
    omitInputs?: string[];
    tamper?: (stateDir: string) => Promise<void>;
    /** Called the moment the action's process is spawned (benchmarks time from here). */
    onSpawn?: () => void;
  }): Promise<ActionRun>;
  close(): Promise<void>;
}

/** A local GitHub holding the example repository, a replay Messages API, and a way to run the bundled action. */
export async function startActionHarness(script: ReplayScript): Promise<ActionHarness> {
  const root = await mkdtemp(join(tmpdir(), 'ipo-action-'));
  const seed = join(root, 'seed');
  await cp(EXAMPLE, seed, { recursive: true });
  const github = await startLocalGitHub({
    owner: OWNER,
    repo: REPO,
    tokens: { [TOKEN]: 'ipo-app[bot]' },
    permissions: { maintainer: 'admin' },
    seed,
  });
  const replay = await startReplayServer({ script });
  const issue = github.createIssue({
    title: 'Task 1.3: median',
    body: 'Please implement roadmap task 1.3.',
    user: 'maintainer',
  });
  let runCounter = 1000;
  return {
    github,
    replay,
    root,
    issueNumber: issue.number,
    async runPhase(p) {
      const runId = ++runCounter;
      const dir = join(root, `run-${runId}`);
      const workspace = join(dir, 'workspace');
      const stateDir = join(dir, 'state');
      const outDir = join(dir, 'out');
      await mkdir(stateDir, { recursive: true });
      await mkdir(outDir, { recursive: true });
      // actions/checkout with fetch-depth: 0 at the approved sha.
      await exec('git', ['clone', '--quiet', github.gitUrl(), workspace]);
      if (p.approvedSha)
        await exec('git', ['checkout', '--quiet', '--detach', p.approvedSha], { cwd: workspace });
      // actions/download-artifact: the previous run's uploaded state (transcripts are a separate artifact).
      if (p.stateFrom) {
        for (const file of await readdir(p.stateFrom)) {
          if (!file.startsWith('transcript-')) await cp(join(p.stateFrom, file), join(stateDir, file));
        }
      }
      await p.tamper?.(stateDir);
      const outputFile = join(dir, 'github-output');
      const summaryFile = join(dir, 'step-summary');
      await writeFile(outputFile, '');
      await writeFile(summaryFile, '');
      const inputs: Record<string, string> = {
        phase: p.phase,
        session: p.session,
        attempt: String(p.attempt ?? 1),
        'issue-number': String(issue.number),
        'approved-sha': p.approvedSha ?? '',
        'state-dir': stateDir,
        'out-dir': outDir,
        'anthropic-api-key': 'sk-ant-action-test-key',
        'github-token': TOKEN,
        'config-path': '.github/ipo.yml',
        feedback: p.feedback ?? '',
        'requested-by': p.requestedBy ?? 'maintainer',
      };
      for (const name of p.omitInputs ?? []) delete inputs[name];
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        GITHUB_ACTIONS: 'true',
        GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
        GITHUB_API_URL: github.apiUrl,
        GITHUB_SERVER_URL: github.webUrl,
        GITHUB_RUN_ID: String(runId),
        GITHUB_WORKSPACE: workspace,
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: summaryFile,
        RUNNER_TEMP: dir,
        IPO_GIT_URL: github.gitUrl(),
        ANTHROPIC_BASE_URL: replay.url,
        // The Action retries GitHub's 5xx like production, but waits milliseconds instead of seconds.
        IPO_GITHUB_RETRY_BASE_MS: '5',
        ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
      };
      p.onSpawn?.();
      const { exitCode, stdout, stderr } = await runNode(DIST, workspace, env);
      return {
        exitCode,
        stdout,
        stderr,
        outputs: parseOutputs(await readFile(outputFile, 'utf8')),
        summary: await readFile(summaryFile, 'utf8'),
        outDir,
      };
    },
    async close() {
      await replay.close();
      await github.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** The app's part before alignment: the session branch, cut from main. */
export async function createSessionBranch(h: ActionHarness, session: string): Promise<string> {
  const octokit = localOctokit(h.github, TOKEN);
  const { data: main } = await octokit.rest.git.getRef({ owner: OWNER, repo: REPO, ref: 'heads/main' });
  await octokit.rest.git.createRef({
    owner: OWNER,
    repo: REPO,
    ref: `refs/heads/ipo/${session}`,
    sha: main.object.sha,
  });
  return main.object.sha;
}

/** Runs `node <file>` and collects its output and exit code. */
export function runNode(file: string, cwd: string, env: Record<string, string>) {
  return new Promise<{ exitCode: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [file], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ exitCode, stdout, stderr }));
  });
}

/** `GITHUB_OUTPUT` as @actions/core writes it: `name<<delimiter`, value lines, `delimiter`. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = lines[i]?.match(/^([^<]+)<<(.+)$/);
    if (!match) continue;
    const [, name = '', delimiter] = match;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '');
    outputs[name] = value.join('\n');
  }
  return outputs;
}
