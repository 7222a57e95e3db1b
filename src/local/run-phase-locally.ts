import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, rmdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentEvent } from '../agent/agent-types.ts';
import type { Phase } from '../core/phases.ts';
import { revParse } from '../git/repo.ts';
import { addDetachedWorktree, addWorktree, removeWorktree } from '../git/worktree.ts';
import { type ExportedFile, readExport } from '../job/phase-export.ts';
import { DECLARED_INPUTS } from '../phases/declared-inputs.ts';
import { findRun, recordRunResult } from '../session/ledger-ops.ts';
import { localBranchSource } from '../settings/git-settings-source.ts';
import { loadConfig, loadPhaseSkill } from '../settings/load-settings.ts';
import { ArtifactStore } from '../state/artifact-store.ts';
import type { Setup } from '../state/artifacts/verification.ts';
import type { Ledger } from '../state/ledger.ts';
import { artifactFileName, parseArtifact, parseLedger } from '../state/parse-document.ts';
import { type Interrupts, NO_INTERRUPTS, type StopSignal } from './interrupts.ts';
import { phaseWorktree } from './local-paths.ts';
import type { SessionLock } from './run-lock.ts';

const IPO_BIN = fileURLToPath(new URL('../../bin/ipo.js', import.meta.url));

export interface LocalRunDeps {
  repo: string;
  /** Where phase worktrees are checked out (`worktreeRoot(cacheHome)`), outside the repository. */
  worktreeRoot: string;
  /** Environment of the phase process: an allowlist plus the model settings, built by the composition root. */
  phaseEnv: Record<string, string>;
  onEvent?: (phase: Phase, event: AgentEvent) => void;
  now: () => Date;
  /** SIGINT/SIGTERM while the phase runs (absent: none arrive). */
  interrupts?: Interrupts;
}

export interface LocalRunReport {
  phase: Phase;
  attempt: number;
  outcome: 'succeeded' | 'failed' | 'blocked';
  message: string;
  ledger: Ledger;
  /** The set-up the phase recorded in its artifact (implementation, verification). */
  setup?: Setup;
  /** The signal that stopped the run, when one did. */
  interrupted?: StopSignal;
}

export interface LocalRunOptions {
  feedback?: string;
  /** The session lock the command holds: it learns the phase and its process, so no other ipo takes it for dead. */
  lock?: SessionLock;
}

/**
 * Runs one phase as its own process (`ipo run-phase`): a fresh input directory holding only the ledger, the config,
 * the skill and the declared artifacts; cwd a fresh worktree of the session branch outside the repository, removed
 * when the run ends. Then records what it exported. A crash or a signal is recorded as a failed run, so nothing is
 * lost and `retry` works.
 */
export async function runPhaseLocally(
  deps: LocalRunDeps,
  ledger: Ledger,
  phase: Phase,
  attempt: number,
  options: LocalRunOptions = {},
): Promise<LocalRunReport> {
  const store = ArtifactStore.forSession(deps.repo, ledger.session);
  const interrupts = deps.interrupts ?? NO_INTERRUPTS;
  const failed = async (error: string): Promise<LocalRunReport> => {
    const crashed = recordRunResult(ledger, {
      phase,
      attempt,
      outcome: 'failed',
      error,
      at: deps.now().toISOString(),
    });
    await store.writeLedger(crashed.ledger);
    const signal = interrupts.received();
    return {
      phase,
      attempt,
      outcome: 'failed',
      message: error,
      ledger: crashed.ledger,
      ...(signal ? { interrupted: signal } : {}),
    };
  };
  await options.lock?.update({ phase, attempt });
  const workspace = await phaseWorktree(deps.worktreeRoot, deps.repo, ledger.session, phase, attempt);
  // The pid in the name tells `ipo doctor` whose they are once that process is gone.
  const inDir = await mkdtemp(join(tmpdir(), `ipo-${phase}-in-${process.pid}-`));
  const outDir = await mkdtemp(join(tmpdir(), `ipo-${phase}-out-${process.pid}-`));
  try {
    try {
      await prepareWorkspace(deps.repo, ledger, phase, workspace);
      await copyFile(store.path('session.json'), join(inDir, 'session.json'));
      for (const input of DECLARED_INPUTS[phase] as readonly Phase[]) {
        await copyFile(store.path(artifactFileName(input)), join(inDir, artifactFileName(input)));
      }
      // Settings from the branch the session started from: the session branch is the agent's to write.
      const settings = localBranchSource(deps.repo, ledger.baseBranch);
      await writeFile(join(inDir, 'ipo.yml'), (await loadConfig(settings)).text);
      await writeFile(join(inDir, 'SKILL.md'), (await loadPhaseSkill(settings, phase)).text);
      if (options.feedback) await writeFile(join(inDir, 'feedback.md'), options.feedback);
    } catch (error) {
      return await failed(`${phase} could not start: ${(error as Error).message.split('\n')[0]}`);
    }
    if (interrupts.received()) return await failed(`interrupted by ${interrupts.received()}`);

    const args = [
      IPO_BIN,
      'run-phase',
      phase,
      '--state-dir',
      inDir,
      '--out-dir',
      outDir,
      '--workspace',
      workspace,
      '--end-with-parent',
    ];
    const exit = await spawnPhase(args, workspace, deps, phase, interrupts, options.lock);
    // The out-dir is read only as the phase process said it wrote it: a process one of its commands left behind
    // may have changed it since. Then the run is recorded as failed, with the reason.
    const exported = exit.exported
      ? await readExport(outDir, exit.exported).catch((error: unknown) => (error as Error).message)
      : `the ${phase} process printed no result`;
    if (exit.code !== 0 || typeof exported === 'string' || !exported.has('session.json')) {
      const signal = interrupts.received();
      const error = signal
        ? `interrupted by ${signal}`
        : exit.code !== 0
          ? `the ${phase} process exited with ${exit.code ?? exit.signal}: ${lastLines(exit.stderr) || 'no output'}`
          : typeof exported === 'string'
            ? `${phase}: ${exported}`
            : `the ${phase} process wrote no session.json`;
      return await failed(error);
    }
    const next = parseLedger(exported.get('session.json') ?? '', `${phase} output session.json`);
    const setup = await adoptOutputs(store, exported, next, phase, attempt);
    const run = findRun(next, phase, attempt);
    const outcome = run?.status === 'succeeded' || run?.status === 'blocked' ? run.status : 'failed';
    return {
      phase,
      attempt,
      outcome,
      message: run?.error ?? `${phase} attempt ${attempt} ${outcome}`,
      ledger: next,
      ...(setup ? { setup } : {}),
    };
  } finally {
    await rm(inDir, { recursive: true, force: true });
    await rm(outDir, { recursive: true, force: true });
    // Nothing persists between runs: each phase starts from the branch, and the branch is what ipo committed.
    await removeWorktree(deps.repo, workspace);
    // The repository's directory in the cache goes with its last worktree.
    await rmdir(dirname(workspace)).catch(() => undefined);
  }
}

/**
 * A fresh checkout for one run. Implementation and commit work on the session branch itself (their commits move
 * it); alignment only reads, and verification gets a clean detached checkout of the head.
 */
async function prepareWorkspace(repo: string, ledger: Ledger, phase: Phase, path: string): Promise<void> {
  // A leftover of a run whose ipo was killed before it could clean up.
  await removeWorktree(repo, path);
  if (phase === 'implementation' || phase === 'commit') await addWorktree(repo, path, ledger.branch);
  else await addDetachedWorktree(repo, path, await revParse(repo, ledger.branch));
}

/** Stores the artifact (checked against the digest the new ledger recorded) and transcript, from the verified texts. */
async function adoptOutputs(
  store: ArtifactStore,
  exported: ReadonlyMap<string, string>,
  ledger: Ledger,
  phase: Phase,
  attempt: number,
) {
  const file = artifactFileName(phase);
  let setup: Setup | undefined;
  const output = findRun(ledger, phase, attempt)?.output;
  if (output) {
    const text = exported.get(file) ?? '';
    const envelope = parseArtifact(phase, text, { expectedDigest: output.sha256, file });
    await store.writeArtifact(envelope);
    // What the CLI says of set-up beside the run: from the artifact just checked against its digest.
    const body = envelope.body as { setup?: Setup };
    setup = body.setup;
    await mkdir(store.path('attempts'), { recursive: true });
    await writeFile(store.path(`attempts/${phase}-${attempt}.json`), text);
  }
  const transcript = exported.get(`transcript-${phase}-${attempt}.json`);
  if (transcript !== undefined) {
    await mkdir(store.path('transcripts'), { recursive: true });
    await writeFile(store.path(`transcripts/${phase}-${attempt}.json`), transcript);
  }
  await store.writeLedger(ledger);
  return setup;
}

interface ExitInfo {
  code: number | null;
  signal: string | null;
  stderr: string;
  /** What the phase process said it wrote; absent when it printed no result (a crash). */
  exported?: ExportedFile[];
}

/**
 * Spawns the phase process; its stdout carries JSON progress lines, its stderr the error of a crash. Its stdin is a
 * pipe it watches: when ipo dies (even by SIGKILL) the pipe closes and the phase process stops its commands and
 * exits, so no phase runs on unrecorded. A signal to ipo is passed on (a terminal's Ctrl-C reached it already); a
 * second one kills it at once.
 */
function spawnPhase(
  args: string[],
  cwd: string,
  deps: LocalRunDeps,
  phase: Phase,
  interrupts: Interrupts,
  lock: SessionLock | undefined,
): Promise<ExitInfo> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env: deps.phaseEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    let pending = '';
    let exported: ExportedFile[] | undefined;
    const ended = interrupts.guard(
      (_signal, count) => {
        child.kill(count === 1 ? 'SIGTERM' : 'SIGKILL');
      },
      () =>
        new Promise<void>((done) => {
          child.on('close', () => done());
          child.on('error', () => done());
        }),
    );
    if (child.pid !== undefined) void lock?.update({ childPid: child.pid }).catch(() => undefined);
    child.stdin.on('error', () => undefined);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        // The first result line counts: the process prints one, as its last act.
        exported ??= resultExports(line);
        forwardEvent(line, deps, phase);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-20_000);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      void ended.then(() => resolve({ code, signal, stderr, ...(exported ? { exported } : {}) }));
    });
  });
}

function forwardEvent(line: string, deps: LocalRunDeps, phase: Phase): void {
  if (!line.startsWith('{')) return;
  try {
    const parsed = JSON.parse(line) as { event?: AgentEvent };
    if (parsed.event) deps.onEvent?.(phase, parsed.event);
  } catch {
    // Progress is best effort; the ledger is the record.
  }
}

/** The `exported` list of the phase process's result line, or undefined for any other line. */
function resultExports(line: string): ExportedFile[] | undefined {
  if (!line.startsWith('{"outcome"')) return undefined;
  try {
    const parsed = JSON.parse(line) as { exported?: unknown };
    return Array.isArray(parsed.exported) ? (parsed.exported as ExportedFile[]) : undefined;
  } catch {
    return undefined;
  }
}

function lastLines(text: string, count = 5): string {
  return text.trim().split('\n').slice(-count).join(' | ');
}
