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
