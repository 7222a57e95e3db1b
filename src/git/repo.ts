import { type GitIdentity, git, gitOk } from './git.ts';

/** Top-level directory of the repository containing `cwd`, or null when it is not inside a git work tree. */
export async function repoRoot(cwd: string): Promise<string | null> {
  try {
    return (await git(cwd, ['rev-parse', '--show-toplevel'])).trim();
  } catch {
    return null;
  }
}

export async function revParse(cwd: string, ref: string): Promise<string> {
  return (await git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim();
}

export async function refExists(cwd: string, ref: string): Promise<boolean> {
  return gitOk(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
}

/** The branch HEAD points at (e.g. `main`), or null when detached. */
export async function currentBranch(cwd: string): Promise<string | null> {
  const name = (await git(cwd, ['symbolic-ref', '--quiet', '--short', 'HEAD']).catch(() => '')).trim();
  return name || null;
}

/** Paths with uncommitted changes (tracked or untracked, ignored files excluded). */
export async function dirtyPaths(
  cwd: string,
  /** Untracked paths that do not count (what set-up installs); a change to a tracked file always counts. */
  ignoreUntracked: (path: string) => boolean = () => false,
): Promise<string[]> {
  const out = await git(cwd, ['status', '--porcelain=v1', '-z', '--untracked-files=all']);
  return out
    .split('\0')
    .filter(Boolean)
    .filter((line) => !(line.startsWith('?? ') && ignoreUntracked(line.slice(3))))
    .map((line) => line.slice(3));
}

/** Contents of `path` at `ref` (e.g. config read from the default branch only), or null if absent there. */
export async function showFile(cwd: string, ref: string, path: string): Promise<string | null> {
  try {
    return await git(cwd, ['show', `${ref}:${path}`]);
  } catch {
    return null;
  }
}

/** The git blob sha of `path` at `ref`, or null when absent. */
export async function blobSha(cwd: string, ref: string, path: string): Promise<string | null> {
  try {
    return (await git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}:${path}`])).trim() || null;
  } catch {
    return null;
  }
}

/** The user's own identity if the repository has one, else ipo's: commits never fail for want of config. */
export async function identityFor(cwd: string, fallback: GitIdentity): Promise<GitIdentity> {
  const name = (await git(cwd, ['config', 'user.name']).catch(() => '')).trim();
  const email = (await git(cwd, ['config', 'user.email']).catch(() => '')).trim();
  return name && email ? { name, email } : fallback;
}
