import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Phase } from '../core/phases.ts';
import { git } from '../git/git.ts';
import { STATE_DIR } from '../state/artifact-store.ts';

/**
 * `<cache>/isolated-phase-orchestrator/worktrees`: phase worktrees live outside the user's repository (so their files
 * never show in `git status`, in a test run or in a checkout of the session branch), and outside its git directory
 * (the sandbox mounts the git common dir read-only over everything under it). `cacheHome` is `$XDG_CACHE_HOME` or
 * `~/.cache`, chosen by the composition root.
 */
export function worktreeRoot(cacheHome: string): string {
  return join(cacheHome, 'isolated-phase-orchestrator', 'worktrees');
}

/** `<name>-<12 hex of the sha256 of its git common dir>`: one directory per repository, readable and unique. */
export async function repoCacheId(repo: string): Promise<string> {
  const common = await gitCommonDir(repo);
  const name = basename(repo).replace(/[^\w.-]/g, '_') || 'repo';
  return `${name}-${createHash('sha256').update(common).digest('hex').slice(0, 12)}`;
}

/** Where one phase run is checked out: `<root>/<repo id>/<session>-<phase>-<attempt>`, removed when the run ends. */
export async function phaseWorktree(
  root: string,
  repo: string,
  session: string,
  phase: Phase,
  attempt: number,
): Promise<string> {
  return join(root, await repoCacheId(repo), `${session}-${phase}-${attempt}`);
}

/** Where worktrees lived before they moved to the cache; `ipo doctor` still finds leftovers there. */
export function legacyWorktreeDir(repo: string): string {
  return join(repo, STATE_DIR, 'worktrees');
}

export { sessionBranch } from '../core/session/session-branch.ts';

/** The absolute path of the repository's git common dir (`.git` of the main checkout). */
export async function gitCommonDir(repo: string): Promise<string> {
  return (await git(repo, ['rev-parse', '--path-format=absolute', '--git-common-dir'])).trim();
}

const EXCLUDE = `/${STATE_DIR}/`;

/**
 * Keeps ipo's whole state directory out of `git status` through `.git/info/exclude`, so the user's tracked files
 * (their `.gitignore` included) are never edited. A team that wants the audit trail in git adds it with `git add -f`.
 */
export async function ensureExcludes(repo: string): Promise<void> {
  const file = join(await gitCommonDir(repo), 'info', 'exclude');
  const current = await readFile(file, 'utf8').catch(() => '');
  if (current.split('\n').includes(EXCLUDE)) return;
  await mkdir(join(file, '..'), { recursive: true });
  const prefix = current === '' || current.endsWith('\n') ? '' : '\n';
  await appendFile(file, `${prefix}# isolated-phase-orchestrator\n${EXCLUDE}\n`);
}
