import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentEvent } from '../agent/agent-types.ts';
import type { Phase } from '../core/phases.ts';
import { revParse } from '../git/repo.ts';
import { addDetachedWorktree, addWorktree, removeWorktree } from '../git/worktree.ts';
import { DECLARED_INPUTS } from '../phases/declared-inputs.ts';
import { findRun, recordRunResult } from '../session/ledger-ops.ts';
import { localBranchSource } from '../settings/git-settings-source.ts';
import { loadConfig, loadPhaseSkill } from '../settings/load-settings.ts';
import { ArtifactStore } from '../state/artifact-store.ts';
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
    const outLedgerFile = join(outDir, 'session.json');
    if (exit.code !== 0 || !(await pathExists(outLedgerFile))) {
      const error = `the ${phase} process exited with ${exit.code ?? exit.signal}: ${lastLines(exit.stderr) || 'no output'}`;
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
    const next = parseLedger(await readFile(outLedgerFile, 'utf8'), `${phase} output session.json`);
    await adoptOutputs(store, outDir, next, phase, attempt);
    const run = findRun(next, phase, attempt);
    const outcome = run?.status === 'succeeded' || run?.status === 'blocked' ? run.status : 'failed';
    return {
      phase,
      attempt,
      outcome,
      message: run?.error ?? `${phase} attempt ${attempt} ${outcome}`,
      ledger: next,
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

/** Copies the artifact (checked against the digest the new ledger recorded) and transcript into the session store. */
async function adoptOutputs(
  store: ArtifactStore,
  outDir: string,
  ledger: Ledger,
  phase: Phase,
  attempt: number,
) {
  const file = artifactFileName(phase);
  const output = findRun(ledger, phase, attempt)?.output;
  if (output) {
    const envelope = parseArtifact(phase, await readFile(join(outDir, file), 'utf8'), {
      expectedDigest: output.sha256,
      file,
    });
    await store.writeArtifact(envelope);
    await mkdir(store.path('attempts'), { recursive: true });
    await copyFile(join(outDir, file), store.path(`attempts/${phase}-${attempt}.json`));
  }
  const transcript = `transcript-${phase}-${attempt}.json`;
  if (await pathExists(join(outDir, transcript))) {
    await mkdir(store.path('transcripts'), { recursive: true });
    await copyFile(join(outDir, transcript), store.path(`transcripts/${phase}-${attempt}.json`));
  }
  await store.writeLedger(ledger);
}

interface ExitInfo {
  code: number | null;
  signal: string | null;
  stderr: string;
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
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) forwardEvent(line, deps, phase);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-20_000);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
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

function lastLines(text: string, count = 5): string {
  return text.trim().split('\n').slice(-count).join(' | ');
}
