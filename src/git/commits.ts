import { type GitIdentity, git } from './git.ts';

export interface FileChange {
  path: string;
  status: 'added' | 'modified' | 'deleted' | 'renamed';
  additions: number;
  deletions: number;
}

/** Hooks never run for commits ipo makes: the agent could have written them (e.g. under a tracked hooks path). */
const NO_HOOKS = ['-c', 'core.hooksPath=/dev/null'];

/** Stages everything in the worktree and commits it; returns the new head, or null when there was nothing. */
export async function commitAll(cwd: string, message: string, identity: GitIdentity): Promise<string | null> {
  await git(cwd, ['add', '--all']);
  const staged = (await git(cwd, ['diff', '--cached', '--name-only'])).trim();
  if (!staged) return null;
  await git(cwd, [...NO_HOOKS, 'commit', '--no-verify', '--quiet', '--file', '-'], {
    identity,
    input: message,
  });
  return (await git(cwd, ['rev-parse', 'HEAD'])).trim();
}

/** Replaces the commits `base..HEAD` with one commit carrying `message`; returns its sha. */
export async function squash(
  cwd: string,
  base: string,
  message: string,
  identity: GitIdentity,
): Promise<string> {
  await git(cwd, ['reset', '--soft', base]);
  await git(cwd, [...NO_HOOKS, 'commit', '--no-verify', '--quiet', '--allow-empty', '--file', '-'], {
    identity,
    input: message,
  });
  return (await git(cwd, ['rev-parse', 'HEAD'])).trim();
}

/** Commit shas from `base` (exclusive) to `head`, oldest first. */
export async function commitsBetween(cwd: string, base: string, head: string): Promise<string[]> {
  const out = await git(cwd, ['rev-list', '--reverse', `${base}..${head}`]);
  return out.split('\n').filter(Boolean);
}

/** Files changed between two commits with line counts (binary files count 0). */
export async function filesChanged(cwd: string, base: string, head: string): Promise<FileChange[]> {
  const numstat = await git(cwd, ['diff', '--numstat', '-M', base, head]);
  const names = await git(cwd, ['diff', '--name-status', '-M', base, head]);
  const statusByPath = new Map<string, FileChange['status']>();
  for (const line of names.split('\n').filter(Boolean)) {
    const [code = '', ...paths] = line.split('\t');
    const path = paths.at(-1) ?? '';
    statusByPath.set(
      path,
      code.startsWith('A')
        ? 'added'
        : code.startsWith('D')
          ? 'deleted'
          : code.startsWith('R')
            ? 'renamed'
            : 'modified',
    );
  }
  return numstat
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [add = '0', del = '0', ...rest] = line.split('\t');
      const path = renamedTarget(rest.join('\t'));
      return {
        path,
        status: statusByPath.get(path) ?? 'modified',
        additions: Number.parseInt(add, 10) || 0,
        deletions: Number.parseInt(del, 10) || 0,
      };
    });
}

/** numstat writes renames as `dir/{old => new}.ts` or `old => new`; keep the new path. */
function renamedTarget(path: string): string {
  const braced = path.match(/^(.*)\{(.*) => (.*)\}(.*)$/);
  if (braced) return `${braced[1]}${braced[3]}${braced[4]}`.replace('//', '/');
  const plain = path.split(' => ');
  return plain.at(-1) ?? path;
}
