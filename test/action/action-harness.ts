import { execFile, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runName } from '../../src/core/dispatch/run-name.ts';
import { type ReplayServer, startReplayServer } from '../../src/replay/replay-server.ts';
import type { ReplayScript } from '../../src/replay/script-schema.ts';
import { writeExampleSeed } from '../support/example-seed.ts';
import type { RunConclusion, RunStatus } from '../support/github/actions-state.ts';
import { type LocalGitHub, startLocalGitHub } from '../support/github/local-github.ts';
import { localOctokit } from '../support/github/local-octokit.ts';

const exec = promisify(execFile);
export const DIST = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
export const EXAMPLE = fileURLToPath(new URL('../../examples/demo-repo', import.meta.url));
/** The seed's phase workflow (examples/workflows/ipo.yml), which config `workflow` names by default. */
export const WORKFLOW = '.github/workflows/ipo.yml';
export const TOKEN = 'ghs_localtesttoken0123456789';
/** The agent job's token (ipo-phase.yml gives that job read-only permissions); TOKEN is the write job's. */
export const READ_TOKEN = 'ghs_localreadonlytoken012345';
export const OWNER = 'acme';
export const REPO = 'tally';

export interface ActionRun {
  runId: number;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  outDir: string;
}

/** A phase run: the agent job's phase step, then (when it reported an outcome) the write job's write step. */
export interface PhaseRun extends ActionRun {
  /** The agent step alone, with the environment its process was started with. */
  agent: ActionRun & { env: Record<string, string> };
  /** Whether the write step ran. */
  wrote: boolean;
}

export interface ActionHarness {
  github: LocalGitHub;
  replay: ReplayServer;
  root: string;
  issueNumber: number;
  /** A person's comment on the session's issue (or on `issue`); returns its id. */
  comment(user: string, body: string, issue?: number): number;
  /**
   * Runs dist/index.js the way a runner would, as a run of the workflow recorded in the local GitHub (its id is
   * `runId` in the result and `GITHUB_RUN_ID`): fresh checkout at `sha`, state from `stateFrom`'s out-dir, the
   * out-dir uploaded as the run's state artifact when the step set `status`.
   */
  runPhase(params: {
    phase: string;
    session: string;
    attempt?: number;
    approvedSha?: string;
    stateFrom?: string;
    commentId: number;
    /** Extra `INPUT_*` values, e.g. inputs the action no longer declares, which it must ignore. */
    extraInputs?: Record<string, string>;
    /** Extra environment of the agent step's process (e.g. `IPO_BWRAP_PATH`: a runner without the sandbox). */
    agentEnv?: Record<string, string>;
    omitInputs?: string[];
    tamper?: (stateDir: string) => Promise<void>;
    /** Called on the agent job's downloaded output before the write step reads it (to tamper with it). */
    tamperAgentOutput?: (agentDir: string) => Promise<void>;
    /** Called the moment the action's process is spawned (benchmarks time from here). */
    onSpawn?: () => void;
  }): Promise<PhaseRun>;
  /** Runs the preflight step (`step: preflight`) of a run of `session`, with a fresh checkout of main. */
  preflight(params: {
    phase: string;
    session: string;
    attempt?: number;
    previousRunId?: number;
    commentId: number;
    extraInputs?: Record<string, string>;
  }): Promise<ActionRun>;
  /** Records a finished run in the local GitHub (another workflow, event, branch…), as a test sets it up. */
  addRun(fields: {
    path?: string;
    displayTitle: string;
    event?: string;
    headBranch?: string;
    /** The commit the run ran; main's head by default. */
    headSha?: string;
    status?: RunStatus;
    conclusion?: RunConclusion | null;
    owner?: string;
    repo?: string;
  }): Promise<number>;
  close(): Promise<void>;
}

/** A local GitHub holding the example repository, a replay Messages API, and a way to run the bundled action. */
export async function startActionHarness(script: ReplayScript): Promise<ActionHarness> {
  const root = await mkdtemp(join(tmpdir(), 'ipo-action-'));
  const seed = await writeExampleSeed(join(root, 'seed'));
  const github = await startLocalGitHub({
    owner: OWNER,
    repo: REPO,
    tokens: { [TOKEN]: 'ipo-app[bot]', [READ_TOKEN]: 'ipo-app[bot]' },
    // The agent job's token (`permissions: read`): the local GitHub refuses every write it tries.
    readOnlyTokens: [READ_TOKEN],
    // The write job's GITHUB_TOKEN, which GitHub never lets push `.github/workflows/*`.
    tokensWithoutWorkflows: [TOKEN, READ_TOKEN],
    permissions: { maintainer: 'admin', writer: 'write', reader: 'read' },
    seed,
  });
  const replay = await startReplayServer({ script });
  const issue = github.createIssue({
    title: 'Task 1.3: median',
    body: 'Please implement roadmap task 1.3.',
    user: 'maintainer',
  });
  async function addRun(fields: Parameters<ActionHarness['addRun']>[0]): Promise<number> {
    const repo = github.state.repo(fields.owner ?? OWNER, fields.repo ?? REPO);
    if (!repo) throw new Error('action harness: no such repository');
    const path = fields.path ?? WORKFLOW;
    const head = await repo.git.ref('refs/heads/main');
    if (!head) throw new Error('action harness: main has no commits');
    const record = github.actions.addRun(github.actions.workflow(repo, path, path), {
      displayTitle: fields.displayTitle,
      event: fields.event ?? 'workflow_dispatch',
      headBranch: fields.headBranch ?? 'main',
      headSha: fields.headSha ?? head.sha,
      headCommit: await repo.git.commit(fields.headSha ?? head.sha),
      actor: 'maintainer',
      inputs: {},
    });
    const status = fields.status ?? 'completed';
    github.updateRun(record.id, {
      status,
      conclusion: status === 'completed' ? (fields.conclusion ?? 'success') : null,
    });
    return record.id;
  }
  /** A checkout at `sha` (main when omitted) and the step's Actions environment. */
  async function runner(runId: number, step: string, sha: string | undefined) {
    const dir = join(root, `run-${runId}-${step}`);
    const workspace = join(dir, 'workspace');
    await mkdir(dir, { recursive: true });
    await exec('git', ['clone', '--quiet', github.gitUrl(), workspace]);
    if (sha) await exec('git', ['checkout', '--quiet', '--detach', sha], { cwd: workspace });
    const outputFile = join(dir, 'github-output');
    const summaryFile = join(dir, 'step-summary');
    await writeFile(outputFile, '');
    await writeFile(summaryFile, '');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
      GITHUB_API_URL: github.apiUrl,
      GITHUB_SERVER_URL: github.webUrl,
      GITHUB_RUN_ID: String(runId),
      // The commit the run runs, as GitHub sets it for a dispatch: the head of the ref it was dispatched on.
      GITHUB_SHA: github.actions.runs.find((r) => r.id === runId)?.headSha ?? '',
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      RUNNER_TEMP: dir,
      // The Action waits minutes for an overloaded model API in production; tests of 529 mean the SDK's retries.
      IPO_MODEL_OVERLOAD_WAIT_S: '0',
      IPO_GIT_URL: github.gitUrl(),
      ANTHROPIC_BASE_URL: replay.url,
      // The Action retries GitHub's 5xx like production, but waits milliseconds instead of seconds.
      IPO_GITHUB_RETRY_BASE_MS: '5',
    };
    const finish = async (result: { exitCode: number | null; stdout: string; stderr: string }) => ({
      runId,
      ...result,
      outputs: parseOutputs(await readFile(outputFile, 'utf8')),
      summary: await readFile(summaryFile, 'utf8'),
    });
    return { dir, workspace, env, finish };
  }
  const inputEnv = (inputs: Record<string, string>) =>
    Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]));
  return {
    github,
    replay,
    root,
    issueNumber: issue.number,
    comment: (user, body, on = issue.number) => github.createComment(on, { user, body }).id,
    addRun,
    async preflight(p) {
      const runId = await addRun({
        displayTitle: runName({ ...p, attempt: p.attempt ?? 1, issueNumber: issue.number }),
        status: 'in_progress',
      });
      const step = await runner(runId, 'preflight', undefined);
      const inputs = {
        step: 'preflight',
        phase: p.phase,
        session: p.session,
        attempt: String(p.attempt ?? 1),
        'issue-number': String(issue.number),
        'previous-run-id': p.previousRunId ? String(p.previousRunId) : '',
        'comment-id': String(p.commentId),
        'github-token': TOKEN,
        'config-path': '.github/ipo.yml',
        // The identity TOKEN acts as: only its status comments are trusted.
        'status-author': 'ipo-app[bot]',
        ...p.extraInputs,
      };
      return {
        ...(await step.finish(await runNode(DIST, step.workspace, { ...step.env, ...inputEnv(inputs) }))),
        outDir: '',
      };
    },
    async runPhase(p) {
      const attempt = p.attempt ?? 1;
      const runId = await addRun({
        displayTitle: runName({ ...p, attempt, issueNumber: issue.number }),
        status: 'in_progress',
      });
      /** actions/download-artifact: the previous run's uploaded state (transcripts are a separate artifact). */
      const downloadState = async (stateDir: string) => {
        await mkdir(stateDir, { recursive: true });
        if (p.stateFrom) {
          for (const file of await readdir(p.stateFrom)) {
            if (!file.startsWith('transcript-')) await cp(join(p.stateFrom, file), join(stateDir, file));
          }
        }
        await p.tamper?.(stateDir);
      };
      const common: Record<string, string> = {
        phase: p.phase,
        session: p.session,
        attempt: String(attempt),
        'issue-number': String(issue.number),
        'approved-sha': p.approvedSha ?? '',
        'comment-id': String(p.commentId),
        'config-path': '.github/ipo.yml',
        // The identity TOKEN acts as: only its status comments are trusted.
        'status-author': 'ipo-app[bot]',
      };
      const withExtras = (inputs: Record<string, string>) => {
        const all = { ...inputs, ...p.extraInputs };
        for (const name of p.omitInputs ?? []) delete all[name];
        return all;
      };
      // The agent job (ipo-phase.yml `agent`): read-only token, the model key, no state key.
      const step = await runner(runId, 'phase', p.approvedSha);
      const stateDir = join(step.dir, 'state');
      const agentOut = join(step.dir, 'out');
      await downloadState(stateDir);
      await mkdir(agentOut, { recursive: true });
      const agentEnv = {
        ...step.env,
        ...p.agentEnv,
        ...inputEnv(
          withExtras({
            ...common,
            'state-dir': stateDir,
            'out-dir': agentOut,
            'anthropic-api-key': 'sk-ant-action-test-key',
            'github-token': READ_TOKEN,
          }),
        ),
      };
      p.onSpawn?.();
      const agent = {
        ...(await step.finish(await runNode(DIST, step.workspace, agentEnv))),
        outDir: agentOut,
        env: agentEnv,
      };
      let result: ActionRun = agent;
      let wrote = false;
      // The write job runs whenever the agent step reported an outcome, on its uploaded output.
      if (agent.outputs.status) {
        const files: Record<string, Buffer> = {};
        for (const file of await readdir(agentOut)) {
          if (!file.startsWith('transcript-')) files[file] = await readFile(join(agentOut, file));
        }
        github.addArtifact(runId, `ipo-${p.session}-${p.phase}-${attempt}-agent`, files);
        const write = await runner(runId, 'write', p.approvedSha);
        const agentDir = join(write.dir, 'agent');
        const outDir = join(write.dir, 'out');
        await mkdir(agentDir, { recursive: true });
        for (const [file, bytes] of Object.entries(files)) await writeFile(join(agentDir, file), bytes);
        await p.tamperAgentOutput?.(agentDir);
        const writeState = join(write.dir, 'state');
        await downloadState(writeState);
        const inputs = withExtras({
          ...common,
          step: 'write',
          'state-dir': writeState,
          'agent-dir': agentDir,
          'out-dir': outDir,
          'github-token': TOKEN,
        });
        result = {
          ...(await write.finish(
            await runNode(DIST, write.workspace, { ...write.env, ...inputEnv(inputs) }),
          )),
          outDir,
        };
        result.stdout = agent.stdout + result.stdout;
        result.stderr = agent.stderr + result.stderr;
        wrote = true;
      }
      github.updateRun(runId, {
        status: 'completed',
        conclusion: agent.exitCode === 0 && result.exitCode === 0 ? 'success' : 'failure',
      });
      // The write job uploads the state whenever its step set `status`.
      if (wrote && result.outputs.status) {
        const files: Record<string, Buffer> = {};
        for (const file of await readdir(result.outDir))
          files[file] = await readFile(join(result.outDir, file));
        github.addArtifact(runId, `ipo-${p.session}-${p.phase}-${attempt}`, files);
      }
      return { ...result, agent, wrote };
    },
    async close() {
      await replay.close();
      await github.close();
      // Retried: a test may leave a process (unsandboxed, on purpose) writing into a run's out-dir until it is gone,
      // and a write between rm's unlink and rmdir fails the rmdir with ENOTEMPTY.
      await rm(root, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 });
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
