import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git } from '../../../src/git/git.ts';

const IDENTITY = {
  GIT_AUTHOR_NAME: 'Local GitHub',
  GIT_AUTHOR_EMAIL: 'noreply@127.0.0.1',
  GIT_COMMITTER_NAME: 'Local GitHub',
  GIT_COMMITTER_EMAIL: 'noreply@127.0.0.1',
};

/**
 * Commits `files` (path → text) onto `branch` of a bare repository without a work tree, the branch starting from
 * `from` (main by default) when it does not exist yet. Returns the new commit's SHA.
 */
export async function commitFiles(
  gitDir: string,
  branch: string,
  files: Readonly<Record<string, string>>,
  options: { message?: string; from?: string } = {},
): Promise<string> {
  const exists = await git(gitDir, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]).catch(
    () => '',
  );
  const parent =
    exists.trim() || (await git(gitDir, ['rev-parse', `refs/heads/${options.from ?? 'main'}`])).trim();
  const scratch = await mkdtemp(join(tmpdir(), 'local-github-commit-'));
  try {
    const env = { ...IDENTITY, GIT_INDEX_FILE: join(scratch, 'index') };
    await git(gitDir, ['read-tree', parent], { env });
    for (const [path, content] of Object.entries(files)) {
      const blob = (await git(gitDir, ['hash-object', '-w', '--stdin'], { input: content })).trim();
      await git(gitDir, ['update-index', '--add', '--cacheinfo', `100644,${blob},${path}`], { env });
    }
    const tree = (await git(gitDir, ['write-tree'], { env })).trim();
    const message = options.message ?? `Update ${Object.keys(files).join(', ')}`;
    const commit = (await git(gitDir, ['commit-tree', tree, '-p', parent, '-m', message], { env })).trim();
    await git(gitDir, ['update-ref', `refs/heads/${branch}`, commit, exists.trim() || '0'.repeat(40)]);
    return commit;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
