import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DIST, parseOutputs, runNode } from '../../action/action-harness.ts';
import type { LocalGitHub } from '../github/local-github.ts';
import { localOctokit } from '../github/local-octokit.ts';
import { readZip } from '../github/read-zip.ts';
import { workflowRunCompleted } from '../github/webhook-payloads.ts';

const exec = promisify(execFile);

export interface RunnerOptions {
  github: LocalGitHub;
  owner: string;
  repo: string;
  /** A token the local GitHub accepts, acting as `github-actions[bot]` (the write jobs' GITHUB_TOKEN). */
  token: string;
  /** The agent job's GITHUB_TOKEN (read-only permissions in ipo-phase.yml); `token` when not given. */
  readToken?: string;
  replayUrl: string;
  /** Where `workflow_run.completed` goes; null while the app is down (the event is then lost, as on GitHub). */
  webhookUrl: () => string | null;
  /** The repository's state key (secret IPO_STATE_KEY) and ipo's bot login (variable IPO_BOT_LOGIN). */
  state?: { key: string | null; author: string };
}

export interface RunRecord {
  runId: number;
  phase: string;
  attempt: number;
  conclusion: 'success' | 'failure' | 'cancelled';
  outputs: Record<string, string>;
  stdout: string;
  /** What the run's steps wrote to GITHUB_STEP_SUMMARY, in order. */
  summary: string;
  /** The environment the agent job's phase step (the Action process that runs the model) was started with. */
  agentEnv?: Record<string, string>;
}

export interface PhaseRunner {
  records: RunRecord[];
  /** Resolves when every dispatched run has finished and been reported. */
  idle(): Promise<void>;
  /** The next run of `phase` crashes before doing anything (a lost runner). */
  crashNext(phase: string): void;
  /** Called on the state the next run of `phase` downloaded, before the job starts (to tamper with it). */
  beforeNext(phase: string, fn: (stateDir: string) => Promise<void>): void;
  /** Resolves when the app has answered every `cancelled` event of a run cancelled while pending. */
  cancellationsReported(): Promise<void>;
  /** The next run of `phase` starts (in_progress, holding its concurrency group) and waits until `release()`. */
  holdNext(phase: string): { started: Promise<void>; release(): void };
  /** Called on the agent job's output the next write job of `phase` downloaded, before its write step. */
  beforeNextWrite(phase: string, fn: (agentDir: string) => Promise<void>): void;
  close(): Promise<void>;
}

/**
 * Executes dispatched runs the way `.github/workflows/ipo-phase.yml` describes, in the concurrency group the local
 * GitHub gave each run (the called ipo-phase.yml's `ipo-<session>`): one at a time per group; a run GitHub cancelled
 * while it was pending is reported completed with `cancelled`, as GitHub reports it. The agent job: checkout at the approved sha in a fresh directory; the preflight step
 * (`dist/index.js` with `step: preflight`), and only if it passes, the one state artifact it named downloaded
 * through the REST API and the phase step (`dist/index.js` again, a fresh process each, with the Actions
 * environment, the read-only token and no state key); its out-dir uploaded as `ipo-<session>-<phase>-<attempt>-agent`.
 * Then the write job on a fresh checkout: preflight again with the state key, both artifacts downloaded by name,
 * the write step, its out-dir uploaded as `ipo-<session>-<phase>-<attempt>` (transcripts apart); then
 * `workflow_run.completed` to the app.
 */
export function startPhaseRunner(o: RunnerOptions): PhaseRunner {
  const queues = new Map<string, Promise<void>>();
  const records: RunRecord[] = [];
  const crashes = new Set<string>();
  const tampers = new Map<string, (dir: string) => Promise<void>>();
  const writeTampers = new Map<string, (dir: string) => Promise<void>>();
  const pending = new Set<Promise<void>>();
  const octokit = localOctokit(o.github, o.token);
  const roots: string[] = [];
  // What ipo-phase.yml passes: vars.IPO_BOT_LOGIN to every step, secrets.IPO_STATE_KEY to the write jobs' only.
  const authorInput: Record<string, string> = o.state ? { 'INPUT_STATUS-AUTHOR': o.state.author } : {};
  const stateInputs: Record<string, string> = o.state
    ? { 'INPUT_STATE-KEY': o.state.key ?? '', ...authorInput }
    : {};
  const readToken = o.readToken ?? o.token;

  const holds = new Map<string, { started: () => void; released: Promise<void> }>();

  const known = new Set<number>();
  const cancelDeliveries: Promise<void>[] = [];
  const reported = new Set<number>();
  const track = (work: Promise<void>) => {
    const tracked = work.catch(() => undefined).finally(() => pending.delete(tracked));
    pending.add(tracked);
  };

  const unsubscribe = o.github.onDispatch((run, inputs) => {
    known.add(run.id);
    // GitHub cancels a group's pending run the moment a newer one arrives, and reports it completed then.
    for (const cancelled of o.github.actions.runs.filter(
      (r) => known.has(r.id) && !reported.has(r.id) && r.conclusion === 'cancelled',
    )) {
      reported.add(cancelled.id);
      records.push({
        runId: cancelled.id,
        phase: String(cancelled.inputs.phase ?? ''),
        attempt: Number(cancelled.inputs.attempt ?? '1'),
        conclusion: 'cancelled',
        outputs: {},
        stdout: '',
        summary: '',
      });
      const delivery = deliverCompleted(cancelled.id, 'cancelled');
      cancelDeliveries.push(delivery.catch(() => undefined));
      track(delivery);
    }
    const group = o.github.actions.run(run.id)?.concurrency?.group.toLowerCase();
    const start = () => execute(run.id, stringInputs(inputs));
    const job = group === undefined ? start() : (queues.get(group) ?? Promise.resolve()).then(start);
    if (group !== undefined)
      queues.set(
        group,
        job.catch(() => undefined),
      );
    track(job);
  });

  async function execute(runId: number, inputs: Record<string, string>): Promise<void> {
    const phase = inputs.phase ?? '';
    const session = inputs.session ?? '';
    const attempt = Number(inputs.attempt ?? '1');
    // Cancelled while pending (a newer run of its group took its place, reported then): no job runs.
    if (o.github.actions.run(runId)?.status === 'completed') return;
    o.github.updateRun(runId, { status: 'in_progress' });
    const hold = holds.get(phase);
    if (hold) {
      holds.delete(phase);
      hold.started();
      await hold.released;
    }
    const dir = await mkdtemp(join(tmpdir(), `ipo-runner-${runId}-`));
    roots.push(dir);
    let conclusion: 'success' | 'failure' = 'failure';
    let outputs: Record<string, string> = {};
    let stdout = '';
    let summary = '';
    let agentEnv: Record<string, string> | undefined;
    if (crashes.delete(phase)) {
      stdout = 'runner lost';
    } else {
      const checkout = async (workspace: string) => {
        await exec('git', ['clone', '--quiet', o.github.gitUrl(o.owner, o.repo), workspace]);
        if (inputs['approved-sha'])
          await exec('git', ['checkout', '--quiet', '--detach', inputs['approved-sha']], { cwd: workspace });
      };
      const env = (step: string, workspace: string): Record<string, string> => ({
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        GITHUB_ACTIONS: 'true',
        GITHUB_REPOSITORY: `${o.owner}/${o.repo}`,
        GITHUB_API_URL: o.github.apiUrl,
        GITHUB_SERVER_URL: o.github.webUrl,
        GITHUB_RUN_ID: String(runId),
        // The commit the run runs, as GitHub sets it for a dispatch: the head of the ref it was dispatched on.
        GITHUB_SHA: o.github.actions.runs.find((r) => r.id === runId)?.headSha ?? '',
        GITHUB_WORKSPACE: workspace,
        GITHUB_OUTPUT: join(dir, `${step}-output`),
        GITHUB_STEP_SUMMARY: join(dir, `${step}-summary`),
        RUNNER_TEMP: dir,
        // The Action waits minutes for an overloaded model API in production; tests of 529 mean the SDK's retries.
        IPO_MODEL_OVERLOAD_WAIT_S: '0',
        IPO_GIT_URL: o.github.gitUrl(o.owner, o.repo),
        // The Action retries GitHub's 5xx like production, but waits milliseconds instead of seconds.
        IPO_GITHUB_RETRY_BASE_MS: '5',
      });
      const stepInputs = (names: string[]) =>
        Object.fromEntries(names.map((name) => [`INPUT_${name.toUpperCase()}`, inputs[name] ?? '']));
      const runStep = async (step: string, workspace: string, stepEnv: Record<string, string>) => {
        await writeFile(join(dir, `${step}-output`), '');
        await writeFile(join(dir, `${step}-summary`), '');
        const result = await runNode(DIST, workspace, stepEnv);
        stdout += result.stdout + result.stderr;
        summary += await readFile(join(dir, `${step}-summary`), 'utf8');
        return { ...result, outputs: parseOutputs(await readFile(join(dir, `${step}-output`), 'utf8')) };
      };
      const preflightNames = ['phase', 'session', 'attempt', 'issue-number', 'previous-run-id', 'comment-id'];
      const phaseNames = ['phase', 'session', 'attempt', 'issue-number', 'approved-sha', 'comment-id'];

      // The agent job, in ipo-phase.yml's order: preflight (no `if:`), download by the exact name it output, the
      // phase step, the upload of its output. Read-only token, the model key, no state key.
      const workspace = join(dir, 'workspace');
      const stateDir = join(dir, 'state');
      const outDir = join(dir, 'out');
      await mkdir(stateDir, { recursive: true });
      await mkdir(outDir, { recursive: true });
      await checkout(workspace);
      const checked = await runStep('preflight', workspace, {
        ...env('preflight', workspace),
        INPUT_STEP: 'preflight',
        'INPUT_GITHUB-TOKEN': readToken,
        'INPUT_CONFIG-PATH': '.github/ipo.yml',
        ...authorInput,
        ...stepInputs(preflightNames),
      });
      const artifact = checked.outputs['state-artifact'];
      if (checked.exitCode !== 0) return finish();
      if (artifact) await downloadState(Number(inputs['previous-run-id']), artifact, stateDir);
      await tampers.get(phase)?.(stateDir);
      tampers.delete(phase);
      agentEnv = {
        ...env('phase', workspace),
        ANTHROPIC_BASE_URL: o.replayUrl,
        'INPUT_STATE-DIR': stateDir,
        'INPUT_OUT-DIR': outDir,
        'INPUT_ANTHROPIC-API-KEY': 'sk-ant-e2e-secret-key',
        'INPUT_GITHUB-TOKEN': readToken,
        'INPUT_CONFIG-PATH': '.github/ipo.yml',
        ...authorInput,
        ...stepInputs(phaseNames),
      };
      const agent = await runStep('phase', workspace, agentEnv);
      outputs = agent.outputs;
      if (!agent.outputs.status) return finish();
      const agentArtifact = `ipo-${session}-${phase}-${attempt}-agent`;
      await uploadOut(runId, agentArtifact, outDir);

      // The write job (`needs: agent`), on a fresh runner: checkout, preflight with the state key, the previous
      // state and the agent's output downloaded by their exact names, the write step, the upload of the state.
      const writeDir = join(dir, 'write');
      const writeWorkspace = join(writeDir, 'workspace');
      const writeState = join(writeDir, 'state');
      const agentDir = join(writeDir, 'agent');
      const writeOut = join(writeDir, 'out');
      for (const d of [writeState, agentDir, writeOut]) await mkdir(d, { recursive: true });
      await checkout(writeWorkspace);
      const rechecked = await runStep('write-preflight', writeWorkspace, {
        ...env('write-preflight', writeWorkspace),
        INPUT_STEP: 'preflight',
        'INPUT_GITHUB-TOKEN': o.token,
        'INPUT_CONFIG-PATH': '.github/ipo.yml',
        ...stateInputs,
        ...stepInputs(preflightNames),
      });
      if (rechecked.exitCode !== 0) return finish();
      const previous = rechecked.outputs['state-artifact'];
      if (previous) await downloadState(Number(inputs['previous-run-id']), previous, writeState);
      await downloadState(runId, agentArtifact, agentDir);
      await writeTampers.get(phase)?.(agentDir);
      writeTampers.delete(phase);
      const written = await runStep('write', writeWorkspace, {
        ...env('write', writeWorkspace),
        INPUT_STEP: 'write',
        'INPUT_STATE-DIR': writeState,
        'INPUT_AGENT-DIR': agentDir,
        'INPUT_OUT-DIR': writeOut,
        'INPUT_GITHUB-TOKEN': o.token,
        'INPUT_CONFIG-PATH': '.github/ipo.yml',
        ...stateInputs,
        ...stepInputs(phaseNames),
      });
      outputs = written.outputs;
      conclusion = agent.exitCode === 0 && written.exitCode === 0 ? 'success' : 'failure';
      // The write job uploads state whenever its step set `status` (failed and blocked runs too).
      if (outputs.status) await uploadOut(runId, `ipo-${session}-${phase}-${attempt}`, writeOut);
    }
    return finish();

    async function finish(): Promise<void> {
      o.github.updateRun(runId, { status: 'completed', conclusion });
      records.push({
        runId,
        phase,
        attempt,
        conclusion,
        outputs,
        stdout,
        summary,
        ...(agentEnv ? { agentEnv } : {}),
      });
      await deliverCompleted(runId, conclusion);
    }
  }

  async function deliverCompleted(runId: number, conclusion: string): Promise<void> {
    const url = o.webhookUrl();
    const run = o.github.run(runId);
    if (url && run)
      await o.github.deliver(url, 'workflow_run', workflowRunCompleted(o.github, { run, conclusion }));
  }

  /** actions/download-artifact with `name`: the one artifact of that exact name, its files directly in `into`. */
  async function downloadState(runId: number, name: string, into: string): Promise<void> {
    const { data } = await octokit.rest.actions.listWorkflowRunArtifacts({
      owner: o.owner,
      repo: o.repo,
      run_id: runId,
      name,
    });
    const artifact = data.artifacts.find((a) => a.name === name);
    if (!artifact) throw new Error(`Unable to download artifact(s): Artifact not found for name: ${name}`);
    const zip = await octokit.rest.actions.downloadArtifact({
      owner: o.owner,
      repo: o.repo,
      artifact_id: artifact.id,
      archive_format: 'zip',
    });
    for (const [file, bytes] of Object.entries(readZip(Buffer.from(zip.data as ArrayBuffer)))) {
      await writeFile(join(into, file), bytes);
    }
  }

  async function uploadOut(runId: number, name: string, outDir: string): Promise<void> {
    const state: Record<string, Buffer> = {};
    const transcripts: Record<string, Buffer> = {};
    for (const file of await readdir(outDir)) {
      (file.startsWith('transcript-') ? transcripts : state)[file] = await readFile(join(outDir, file));
    }
    o.github.addArtifact(runId, name, state);
    if (Object.keys(transcripts).length > 0) o.github.addArtifact(runId, `${name}-transcript`, transcripts);
  }

  return {
    records,
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    crashNext: (phase) => crashes.add(phase),
    beforeNext: (phase, fn) => tampers.set(phase, fn),
    beforeNextWrite: (phase, fn) => writeTampers.set(phase, fn),
    async cancellationsReported() {
      await Promise.all(cancelDeliveries);
    },
    holdNext(phase) {
      let release = () => {};
      let started = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      const startedPromise = new Promise<void>((resolve) => {
        started = resolve;
      });
      holds.set(phase, { started, released });
      return { started: startedPromise, release };
    },
    async close() {
      unsubscribe();
      await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
    },
  };
}

function stringInputs(inputs: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [k, v === undefined || v === null ? '' : String(v)]),
  );
}
