import { rm } from 'node:fs/promises';
import { git } from './git.ts';

/** Adds a worktree at `path` on `branch` (created from `from` when given), leaving the user's tree untouched. */
export async function addWorktree(repo: string, path: string, branch: string, from?: string): Promise<void> {
  const args = from ? ['worktree', 'add', '-b', branch, path, from] : ['worktree', 'add', path, branch];
  await git(repo, args);
}

/** Adds a detached worktree at `sha` (a clean checkout for verification). */
export async function addDetachedWorktree(repo: string, path: string, sha: string): Promise<void> {
  await git(repo, ['worktree', 'add', '--detach', path, sha]);
}

/** Removes a worktree and its directory; tolerant of one that is already gone. */
export async function removeWorktree(repo: string, path: string): Promise<void> {
  await git(repo, ['worktree', 'remove', '--force', path]).catch(() => undefined);
  await rm(path, { recursive: true, force: true });
  await git(repo, ['worktree', 'prune']).catch(() => undefined);
}

/** One entry of `git worktree list --porcelain`. */
export interface WorktreeEntry {
  path: string;
  head?: string;
  /** `refs/heads/<name>` when a branch is checked out there. */
  branch?: string;
  /** Git's reason when the entry's directory is gone (`git worktree prune` drops it). */
  prunable?: string;
  /** Whether this is the main working tree (the first entry). */
  main: boolean;
}

/** The repository's worktrees, the main one first. */
export async function listWorktrees(repo: string): Promise<WorktreeEntry[]> {
  const out = await git(repo, ['worktree', 'list', '--porcelain', '-z']);
  const entries: WorktreeEntry[] = [];
  let current: WorktreeEntry | undefined;
  for (const field of out.split('\0')) {
    if (field === '') {
      if (current) entries.push(current);
      current = undefined;
      continue;
    }
    const space = field.indexOf(' ');
    const key = space === -1 ? field : field.slice(0, space);
    const value = space === -1 ? '' : field.slice(space + 1);
    if (key === 'worktree') current = { path: value, main: entries.length === 0 };
    else if (current && key === 'HEAD') current.head = value;
    else if (current && key === 'branch') current.branch = value;
    else if (current && key === 'prunable') current.prunable = value || 'gone';
  }
  if (current) entries.push(current);
  return entries;
}

/** The worktree where `branch` (short name) is checked out, if any: git refuses to move a branch held there. */
export async function worktreeHolding(repo: string, branch: string): Promise<string | undefined> {
  return (await listWorktrees(repo)).find((w) => w.branch === `refs/heads/${branch}`)?.path;
}
