import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { git } from '../git/git.ts';
import { STATE_DIR } from '../state/artifact-store.ts';

/** Where the session branch is checked out for its phases; never the user's own working tree. */
export function sessionWorktree(repo: string, session: string): string {
  return join(repo, STATE_DIR, 'worktrees', session);
}

/** A throwaway clean checkout for one verification run. */
export function verificationWorktree(repo: string, session: string, attempt: number): string {
  return join(repo, STATE_DIR, 'worktrees', `${session}-verification-${attempt}`);
}

export { sessionBranch } from '../core/session/session-branch.ts';

const EXCLUDES = [
  `/${STATE_DIR}/worktrees/`,
  `/${STATE_DIR}/sessions/*/transcripts/`,
  `/${STATE_DIR}/sessions/*/logs/`,
];

/**
 * Keeps worktrees and transcripts out of `git status` through `.git/info/exclude`, so the user's tracked files
 * (their `.gitignore` included) are never edited. Artifacts and ledgers stay visible: teams may commit the audit trail.
 */
export async function ensureExcludes(repo: string): Promise<void> {
  const file = join(
    (await git(repo, ['rev-parse', '--path-format=absolute', '--git-common-dir'])).trim(),
    'info',
    'exclude',
  );
  const current = await readFile(file, 'utf8').catch(() => '');
  const missing = EXCLUDES.filter((line) => !current.split('\n').includes(line));
  if (missing.length === 0) return;
  await mkdir(join(file, '..'), { recursive: true });
  const prefix = current === '' || current.endsWith('\n') ? '' : '\n';
  await appendFile(file, `${prefix}# isolated-phase-orchestrator\n${missing.join('\n')}\n`);
}
