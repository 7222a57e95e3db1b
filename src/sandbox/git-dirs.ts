import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The git directories a workspace's checkout uses, to be mounted read-only: `git status`/`log`/`diff` work inside
 * the sandbox, but a command cannot install a hook or edit `.git/config` for ipo's own git calls to pick up. A
 * linked worktree's `.git` is a file naming its gitdir, whose `commondir` names the repository's `.git`; that file
 * is mounted read-only too, or a command could point it at a repository of its own making, whose config and objects
 * ipo's next `git add`/`commit` outside the sandbox would then use.
 */
export function gitDirsOf(workspace: string): string[] {
  const dotGit = path.join(workspace, '.git');
  let isDir: boolean;
  try {
    isDir = statSync(dotGit).isDirectory();
  } catch {
    return [];
  }
  if (isDir) return [dotGit];
  const line = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
  if (!line) return [];
  const gitDir = path.resolve(workspace, line);
  try {
    const common = readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim();
    // The worktree's gitdir sits under the common dir (`.git/worktrees/<name>`): one mount covers both.
    return [path.resolve(gitDir, common), dotGit];
  } catch {
    return [gitDir, dotGit];
  }
}
