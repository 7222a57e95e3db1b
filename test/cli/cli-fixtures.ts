import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadScript } from '../../src/replay/load-script.ts';
import type { ReplayScript } from '../../src/replay/script-schema.ts';
import { STATE_DIR } from '../../src/state/artifact-store.ts';

const exec = promisify(execFile);

/** The real CLI entry, run as a child process exactly as a person's shell would. */
export const IPO_BIN = fileURLToPath(new URL('../../bin/ipo.js', import.meta.url));
const DEMO_REPO = fileURLToPath(new URL('../../examples/demo-repo', import.meta.url));
const DEMO_SCRIPT = fileURLToPath(new URL('../../examples/demo-replay.yaml', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `ipo <args>` in `cwd` with exactly `env` (never the parent's environment); a non-zero exit is a result. */
export async function runIpo(
  args: readonly string[],
  cwd: string,
  env: Record<string, string>,
): Promise<CliResult> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [IPO_BIN, ...args], {
      cwd,
      env,
      encoding: 'utf8',
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** The environment of a CLI run: PATH and a throwaway HOME, plus what a case needs (the model key, a base URL). */
export function cliEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, ...extra };
}

/** Runs git in `cwd` and returns stdout. */
export async function gitIn(cwd: string, args: readonly string[]): Promise<string> {
  const { stdout } = await exec('git', args, { cwd, encoding: 'utf8' });
  return stdout;
}

/** A copy of examples/demo-repo at `dir` as a git repository on `main` with one commit and its own identity. */
export async function createDemoRepo(dir: string): Promise<string> {
  await cp(DEMO_REPO, dir, { recursive: true });
  await gitIn(dir, ['init', '--quiet', '--initial-branch=main']);
  await gitIn(dir, ['config', 'user.name', 'CLI Test']);
  await gitIn(dir, ['config', 'user.email', 'cli-test@example.com']);
  await gitIn(dir, ['add', '--all']);
  await gitIn(dir, ['commit', '--quiet', '-m', 'tally 0.1']);
  return dir;
}

/**
 * Copies a prepared repository for a case that changes it. Worktree links are absolute paths, so both ends are
 * pointed at the copy by hand (`git worktree repair` would re-point the original's admin files at the copy instead).
 */
export async function copyRepo(from: string, to: string): Promise<string> {
  // A `*.lock` belongs to a git process at work in the original (it may vanish mid-copy, or block the copy's own
  // git calls): never copied.
  await cp(from, to, { recursive: true, filter: (source) => !source.endsWith('.lock') });
  const admin = join(to, '.git', 'worktrees');
  for (const name of await readdir(admin).catch(() => [])) {
    const backLink = join(admin, name, 'gitdir');
    const worktreeGitFile = (await readFile(backLink, 'utf8')).trim().replace(from, to);
    await writeFile(backLink, `${worktreeGitFile}\n`);
    await writeFile(worktreeGitFile, `gitdir: ${join(admin, name)}\n`);
  }
  return to;
}

/** The replay script of the demo with only the alignment conversation: `ipo start 1.3` stops at the first gate. */
export async function alignmentOnlyScript(): Promise<ReplayScript> {
  const script = await loadScript(DEMO_SCRIPT);
  return { ...script, conversations: script.conversations.filter((c) => c.name === 'alignment') };
}

/**
 * Everything a refused command must leave alone: refs, HEAD, worktrees, the status of the tree and every byte of the
 * session store. Two equal snapshots mean nothing was lost or changed.
 */
export async function snapshotRepo(repo: string): Promise<Record<string, string>> {
  const snapshot: Record<string, string> = {
    refs: await gitIn(repo, ['for-each-ref', '--format=%(objectname) %(refname)']),
    head: await gitIn(repo, ['rev-parse', '--symbolic-full-name', 'HEAD']),
    status: await gitIn(repo, ['status', '--porcelain=v1', '--untracked-files=all']),
    worktrees: await gitIn(repo, ['worktree', 'list', '--porcelain']),
  };
  const sessions = join(repo, STATE_DIR, 'sessions');
  for (const file of await filesUnder(sessions)) {
    const digest = createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
    snapshot[`sessions/${relative(sessions, file)}`] = digest;
  }
  return snapshot;
}

/** Every byte of every file under `dir`, for a directory that is not a repository. */
export async function snapshotDir(dir: string): Promise<Record<string, string>> {
  const snapshot: Record<string, string> = {};
  for (const file of await filesUnder(dir)) {
    snapshot[relative(dir, file)] = createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
  }
  return snapshot;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}
