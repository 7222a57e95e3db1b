import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { sessionWorktree, verificationWorktree } from './local-paths.ts';
import { pathExists } from './path-exists.ts';

const IPO_BIN = fileURLToPath(new URL('../../bin/ipo.js', import.meta.url));

export interface LocalRunDeps {
  repo: string;
  /** Environment of the phase process: an allowlist plus the model settings, built by the composition root. */
  phaseEnv: Record<string, string>;
  onEvent?: (phase: Phase, event: AgentEvent) => void;
  now: () => Date;
}

export interface LocalRunReport {
  phase: Phase;
  attempt: number;
  outcome: 'succeeded' | 'failed' | 'blocked';
  message: string;
  ledger: Ledger;
  /** The set-up the phase recorded in its artifact (implementation, verification). */
  setup?: Setup;
}

/**
 * Runs one phase as its own process (`ipo run-phase`): a fresh input directory holding only the ledger, the config,
 * the skill and the declared artifacts; cwd a worktree of the session branch. Then records what it exported. A crash
 * of the process is recorded as a failed run, so nothing is lost and `retry` works.
 */
export async function runPhaseLocally(
  deps: LocalRunDeps,
  ledger: Ledger,
  phase: Phase,
  attempt: number,
  feedback?: string,
): Promise<LocalRunReport> {
  const store = ArtifactStore.forSession(deps.repo, ledger.session);
  const workspace = await prepareWorkspace(deps.repo, ledger, phase, attempt);
  const inDir = await mkdtemp(join(tmpdir(), `ipo-${phase}-in-`));
  const outDir = await mkdtemp(join(tmpdir(), `ipo-${phase}-out-`));
  try {
    await copyFile(store.path('session.json'), join(inDir, 'session.json'));
    for (const input of DECLARED_INPUTS[phase] as readonly Phase[]) {
      await copyFile(store.path(artifactFileName(input)), join(inDir, artifactFileName(input)));
    }
    // Settings from the branch the session started from: the session branch is the agent's to write.
    const settings = localBranchSource(deps.repo, ledger.baseBranch);
    await writeFile(join(inDir, 'ipo.yml'), (await loadConfig(settings)).text);
    await writeFile(join(inDir, 'SKILL.md'), (await loadPhaseSkill(settings, phase)).text);
    if (feedback) await writeFile(join(inDir, 'feedback.md'), feedback);

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
    ];
    const exit = await spawnPhase(args, workspace, deps, phase);
    // The out-dir is read only as the phase process said it wrote it: a process one of its commands left behind
    // may have changed it since. Then the run is recorded as failed, with the reason.
    const exported = exit.exported
      ? await readExport(outDir, exit.exported).catch((error: unknown) => (error as Error).message)
      : `the ${phase} process printed no result`;
    if (exit.code !== 0 || typeof exported === 'string' || !exported.has('session.json')) {
      const error =
        exit.code !== 0
          ? `the ${phase} process exited with ${exit.code ?? exit.signal}: ${lastLines(exit.stderr) || 'no output'}`
          : typeof exported === 'string'
            ? `${phase}: ${exported}`
            : `the ${phase} process wrote no session.json`;
      const crashed = recordRunResult(ledger, {
        phase,
        attempt,
        outcome: 'failed',
        error,
        at: deps.now().toISOString(),
      });
      await store.writeLedger(crashed.ledger);
      return { phase, attempt, outcome: 'failed', message: error, ledger: crashed.ledger };
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
    if (phase === 'verification') await removeWorktree(deps.repo, workspace);
  }
}

/** Verification gets a clean detached checkout of the head; the other phases work in the session worktree. */
async function prepareWorkspace(
  repo: string,
  ledger: Ledger,
  phase: Phase,
  attempt: number,
): Promise<string> {
  if (phase === 'verification') {
    const path = verificationWorktree(repo, ledger.session, attempt);
    await removeWorktree(repo, path);
    await addDetachedWorktree(repo, path, await revParse(repo, ledger.branch));
    return path;
  }
  const path = sessionWorktree(repo, ledger.session);
  if (!(await pathExists(path))) await addWorktree(repo, path, ledger.branch);
  return path;
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

/** Spawns the phase process; its stdout carries JSON progress lines, its stderr the error of a crash. */
function spawnPhase(args: string[], cwd: string, deps: LocalRunDeps, phase: Phase): Promise<ExitInfo> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env: deps.phaseEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let pending = '';
    let exported: ExportedFile[] | undefined;
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
    child.on('close', (code, signal) => resolve({ code, signal, stderr, ...(exported ? { exported } : {}) }));
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
