import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { parseSessionId } from '../core/session/session-id.ts';
import { git } from '../git/git.ts';
import { listWorktrees, removeWorktree } from '../git/worktree.ts';
import { sessionDir } from '../state/artifact-store.ts';
import type { Ledger } from '../state/ledger.ts';
import { legacyWorktreeDir, repoCacheId } from './local-paths.ts';
import { processAlive } from './process-alive.ts';
import { readAllSessionLedgers } from './read-session-ledger.ts';
import { holderState, readRunLock } from './run-lock.ts';

/** Something ipo left behind that no running phase uses, and how to remove it. */
export type Leftover =
  | { kind: 'worktree'; path: string; registered: boolean; why: string }
  | { kind: 'temp-dir'; path: string; why: string }
  | { kind: 'branch'; name: string; why: string };

export interface LeftoverReport {
  leftovers: Leftover[];
  /** What was found and kept, with the reason (a complete session's branch unless asked for). */
  kept: string[];
}

export interface FindLeftoversOptions {
  /** `<cache>/isolated-phase-orchestrator/worktrees`. */
  worktreeRoot: string;
  /** Also branches of complete sessions (their work is merged or in a PR; the person may still want them). */
  completeBranches?: boolean;
  /** Where ipo makes its temp dirs (the OS temp dir). */
  tempDir?: string;
}

/**
 * Leftovers of ipo for `repo`: phase worktrees (registered or only a directory in the cache) and temp dirs whose
 * ipo process is gone, branches of cancelled sessions, and `ipo/<session id>` branches without a session directory.
 * Never a live run's files (a session whose lock holder runs, or runs on another host, is skipped), never a branch
 * checked out anywhere or one that tracks a remote (a GitHub session's branch fetched here), never a user's branch.
 */
export async function findLeftovers(repo: string, options: FindLeftoversOptions): Promise<LeftoverReport> {
  const leftovers: Leftover[] = [];
  const kept: string[] = [];
  const busy = new Map<string, boolean>();
  const inUse = async (session: string | undefined): Promise<boolean> => {
    if (session === undefined || parseSessionId(session) === null) return false;
    if (!busy.has(session)) {
      const lock = await readRunLock(sessionDir(repo, session));
      busy.set(session, lock !== undefined && holderState(lock) !== 'gone');
    }
    return busy.get(session) === true;
  };

  const cacheDir = join(options.worktreeRoot, await repoCacheId(repo));
  const ours = (path: string) => [cacheDir, legacyWorktreeDir(repo)].some((dir) => isInside(dir, path));
  const registered = new Set<string>();
  for (const worktree of await listWorktrees(repo)) {
    if (worktree.main || !ours(worktree.path)) continue;
    registered.add(worktree.path);
    const session = sessionOf(worktree.path);
    if (await inUse(session)) {
      kept.push(`worktree ${worktree.path}: session ${session} is running`);
      continue;
    }
    leftovers.push({
      kind: 'worktree',
      path: worktree.path,
      registered: true,
      why: worktree.prunable ? 'registered, its directory is gone' : 'no running phase uses it',
    });
  }
  for (const name of await readdir(cacheDir).catch(() => [] as string[])) {
    const path = join(cacheDir, name);
    if (registered.has(path) || (await inUse(sessionOf(path)))) continue;
    leftovers.push({ kind: 'worktree', path, registered: false, why: 'a directory git no longer knows' });
  }

  const temp = options.tempDir ?? tmpdir();
  for (const name of await readdir(temp).catch(() => [] as string[])) {
    const owner = /^ipo-(?:alignment|implementation|verification|commit)-(?:in|out)-(\d+)-/.exec(name)?.[1];
    if (owner === undefined || processAlive(Number(owner))) continue;
    leftovers.push({ kind: 'temp-dir', path: join(temp, name), why: `its ipo (pid ${owner}) is gone` });
  }

  const { ledgers, unreadable } = await readAllSessionLedgers(repo);
  const bySession = new Map<string, Ledger>(ledgers.map((l) => [l.session, l]));
  const unreadableIds = new Set(unreadable.map((u) => u.session));
  const checkedOut = new Set((await listWorktrees(repo)).flatMap((w) => (w.branch ? [w.branch] : [])));
  const refs = await git(repo, ['for-each-ref', '--format=%(refname)%00%(upstream)', 'refs/heads/ipo/']);
  for (const line of refs.split('\n').filter(Boolean)) {
    const [ref = '', upstream = ''] = line.split('\0');
    const name = ref.slice('refs/heads/'.length);
    const session = name.slice('ipo/'.length);
    // Only names ipo gives; `ipo/anything-else` is someone's own branch.
    if (parseSessionId(session) === null || unreadableIds.has(session)) continue;
    if (checkedOut.has(ref)) {
      kept.push(`branch ${name}: checked out in a worktree`);
      continue;
    }
    const ledger = bySession.get(session);
    if (ledger === undefined) {
      if (upstream !== '') {
        kept.push(`branch ${name}: no session here, but it tracks ${upstream} (a session run elsewhere)`);
        continue;
      }
      leftovers.push({ kind: 'branch', name, why: 'no session directory (an interrupted `ipo start`?)' });
    } else if (ledger.status.kind === 'cancelled') {
      leftovers.push({ kind: 'branch', name, why: `session ${session} was cancelled` });
    } else if (ledger.status.kind === 'complete') {
      if (options.completeBranches) {
        leftovers.push({ kind: 'branch', name, why: `session ${session} is complete` });
      } else {
        kept.push(`branch ${name}: session complete (\`--complete-branches\` removes it too)`);
      }
    }
  }
  return { leftovers, kept };
}

/** Removes the leftovers; returns what could not be removed, with git's or the file system's reason. */
export async function removeLeftovers(repo: string, leftovers: readonly Leftover[]): Promise<string[]> {
  const problems: string[] = [];
  for (const leftover of leftovers) {
    try {
      if (leftover.kind === 'worktree') {
        if (leftover.registered) await removeWorktree(repo, leftover.path);
        else await rm(leftover.path, { recursive: true, force: true });
      } else if (leftover.kind === 'temp-dir') {
        await rm(leftover.path, { recursive: true, force: true });
      } else {
        await git(repo, ['branch', '-D', leftover.name]);
      }
    } catch (error) {
      problems.push(`${describeLeftover(leftover)}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  await git(repo, ['worktree', 'prune']).catch(() => undefined);
  return problems;
}

/** `worktree <path>`, `temp dir <path>`, `branch <name>`. */
export function describeLeftover(leftover: Leftover): string {
  switch (leftover.kind) {
    case 'worktree':
      return `worktree ${leftover.path}`;
    case 'temp-dir':
      return `temp dir ${leftover.path}`;
    case 'branch':
      return `branch ${leftover.name}`;
    default: {
      const never: never = leftover;
      return never;
    }
  }
}

/** The session id a worktree's directory name starts with (`<session>-<phase>-<attempt>`, or the old `<session>`). */
function sessionOf(path: string): string | undefined {
  const name = path.split(sep).at(-1) ?? '';
  return /^phase-[\d.]+-\d{8}(?:-\d+(?=$|-(?:alignment|implementation|verification|commit)))?/.exec(
    name,
  )?.[0];
}

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep);
}
