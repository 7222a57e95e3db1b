import { git } from '../git/git.ts';
import { refExists } from '../git/repo.ts';
import { ConfigError } from '../state/state-error.ts';
import { notAFile, type SettingsSource } from './settings-source.ts';

const BLOB_MODES = new Set(['100644', '100755']);

/**
 * Settings read with git from `ref` in the repository at `repoDir`. `ref` must be a full ref name
 * (`refs/heads/main`): git resolves a short name tags first, so a tag called `main` or `origin/main` would win.
 */
export function gitSettingsSource(repoDir: string, ref: string): SettingsSource {
  return {
    ref,
    async read(path) {
      // An unknown ref is an error: settings silently falling back to the defaults would be worse than stopping.
      if (!(await refExists(repoDir, ref))) {
        throw new ConfigError({
          code: 'not-found',
          file: path,
          expected: 'a branch to read settings from',
          message: `cannot read ${path}: ${ref} is not in the repository at ${repoDir}; check out the branch sessions start from`,
        });
      }
      // `ls-tree` tells a file from a directory, link or submodule; `git show` would print any of them as text.
      const entry = (await git(repoDir, ['ls-tree', '-z', ref, '--', path])).split('\0')[0] ?? '';
      const match = /^(\d+) (\w+) ([0-9a-f]+)\t/.exec(entry);
      if (!match) return null;
      const [, mode = '', type = '', sha = ''] = match;
      if (type !== 'blob' || !BLOB_MODES.has(mode)) {
        const what = mode === '120000' ? 'a symbolic link' : type === 'tree' ? 'a directory' : 'a submodule';
        throw notAFile(path, ref, what);
      }
      return git(repoDir, ['cat-file', 'blob', sha]);
    },
  };
}

/** The CLI's settings: the local branch sessions start from (never the session branch or the working tree). */
export function localBranchSource(repoDir: string, branch: string): SettingsSource {
  return gitSettingsSource(repoDir, `refs/heads/${branch}`);
}

/**
 * The job's settings: the default branch as fetched from origin (the checkout's HEAD is the session branch), else a
 * local branch of that name. Full ref names only, so no tag or other ref of the same short name can stand in.
 */
export async function defaultBranchSource(repoDir: string, branch: string): Promise<SettingsSource> {
  for (const ref of [`refs/remotes/origin/${branch}`, `refs/heads/${branch}`]) {
    if (await refExists(repoDir, ref)) return gitSettingsSource(repoDir, ref);
  }
  throw new Error(
    `the checkout has no ${branch} branch to read settings from: check out with fetch-depth: 0 so the default branch is fetched`,
  );
}
