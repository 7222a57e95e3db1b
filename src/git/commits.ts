import type { CommitRef, FileChange } from '../state/artifacts/implementation.ts';
import { type GitIdentity, git } from './git.ts';

/**
 * Diff drivers (`diff.external`, `diff.<driver>.command`, `.textconv`) run programs the repository's config names;
 * there is no empty value that disables them (git tries to run ""), so ipo's diffs turn them off by flag.
 */
const NO_DRIVERS = ['--no-ext-diff', '--no-textconv'];

/**
 * Stages everything in the worktree and commits it; returns the new head, or null when there was nothing. No hook or
 * filter of the repository runs (`git` overrides them; `--no-verify` says so twice).
 */
export async function commitAll(
  cwd: string,
  message: string,
  identity: GitIdentity,
  /** Paths never staged (what set-up installed, from `untrackedPaths`): literal, relative to `cwd`. */
  exclude: readonly string[] = [],
): Promise<string | null> {
  // `literal`: a path such as `a[1]/` is a name, not a glob; `exclude` keeps it out even when nothing ignores it.
  const excludes = exclude.map((path) => `:(exclude,literal)${path}`);
  await git(cwd, ['add', '--all', '--', '.', ...excludes]);
  const staged = (await git(cwd, ['diff', ...NO_DRIVERS, '--cached', '--name-only'])).trim();
  if (!staged) return null;
  await git(cwd, ['commit', '--no-verify', '--quiet', '--file', '-'], {
    identity,
    input: message,
  });
  return (await git(cwd, ['rev-parse', 'HEAD'])).trim();
}

/**
 * Untracked paths of the worktree that no ignore file covers, an untracked directory as one `dir/` entry (as
 * `git status` shows it): what a commit with `add --all` would pick up.
 */
export async function untrackedPaths(cwd: string): Promise<string[]> {
  const out = await git(cwd, ['ls-files', '-z', '--others', '--exclude-standard', '--directory']);
  return out.split('\0').filter(Boolean);
}

/** Replaces the commits `base..HEAD` with one commit carrying `message`; returns its sha. */
export async function squash(
  cwd: string,
  base: string,
  message: string,
  identity: GitIdentity,
): Promise<string> {
  await git(cwd, ['reset', '--soft', base]);
  await git(cwd, ['commit', '--no-verify', '--quiet', '--allow-empty', '--file', '-'], {
    identity,
    input: message,
  });
  return (await git(cwd, ['rev-parse', 'HEAD'])).trim();
}

/** The commits from `base` (exclusive) to `head`, oldest first, with their subjects (the implementation artifact's `commits`). */
export async function commitRefs(cwd: string, base: string, head: string): Promise<CommitRef[]> {
  const out = await git(cwd, ['log', '--reverse', '-z', '--format=%H%x1f%s', `${base}..${head}`]);
  return out
    .split('\0')
    .filter(Boolean)
    .map((entry) => {
      const [sha = '', subject = ''] = entry.split('\x1f');
      return { sha, subject };
    });
}

/**
 * Every path any commit from `from` (exclusive) to `head` adds, changes or deletes, once each — not only the end
 * state: a commit pushed to a branch is there for anyone (and any `on: push` workflow) even when a later one undoes
 * it. No rename detection, so a rename lists both its paths. `pathspec` narrows the paths looked at.
 */
export async function pathsTouched(
  cwd: string,
  from: string,
  head: string,
  pathspec: readonly string[] = [],
): Promise<string[]> {
  const out = await git(cwd, [
    'log',
    ...NO_DRIVERS,
    '--no-renames',
    '--name-only',
    '-z',
    '--format=',
    `${from}..${head}`,
    ...(pathspec.length > 0 ? ['--', ...pathspec] : []),
  ]);
  // `-z` keeps a path with a newline or a quote as it is, unquoted.
  return [...new Set(out.split('\0').filter(Boolean))];
}

/**
 * Files changed between two commits with line counts (binary files count 0); a rename keeps its old path, which the
 * scope check needs (moving a file out of a forbidden path is a change to that path). `-z` output needs no unquoting.
 */
export async function filesChanged(cwd: string, base: string, head: string): Promise<FileChange[]> {
  const names = (await git(cwd, ['diff', ...NO_DRIVERS, '-z', '--name-status', '-M', base, head])).split(
    '\0',
  );
  const counts = numstatByPath(
    (await git(cwd, ['diff', ...NO_DRIVERS, '-z', '--numstat', '-M', base, head])).split('\0'),
  );
  const changes: FileChange[] = [];
  for (let i = 0; i < names.length - 1; ) {
    const code = names[i++] ?? '';
    const renamed = code.startsWith('R') || code.startsWith('C');
    const previousPath = renamed ? names[i++] : undefined;
    const path = names[i++] ?? '';
    // A copy (`C`, only with copy detection) is a new file at its path.
    const status =
      code.startsWith('A') || code.startsWith('C')
        ? 'added'
        : code.startsWith('D')
          ? 'deleted'
          : code.startsWith('R')
            ? 'renamed'
            : 'modified';
    const [additions, deletions] = counts.get(path) ?? [0, 0];
    changes.push({
      path,
      ...(code.startsWith('R') && previousPath ? { previousPath } : {}),
      status,
      additions,
      deletions,
    });
  }
  return changes;
}

/** `--numstat -z`: `add<TAB>del<TAB>path<NUL>`, or for a rename `add<TAB>del<TAB><NUL>old<NUL>new<NUL>`; `-` for binary. */
function numstatByPath(fields: string[]): Map<string, [number, number]> {
  const counts = new Map<string, [number, number]>();
  for (let i = 0; i < fields.length - 1; ) {
    // Only the first two tabs separate fields: a path may hold tabs of its own.
    const [add = '0', del = '0', ...rest] = (fields[i++] ?? '').split('\t');
    const path = rest.join('\t');
    let target = path;
    if (path === '') {
      // A rename: skip the old path, count under the new one.
      target = fields[i + 1] ?? '';
      i += 2;
    }
    counts.set(target, [Number.parseInt(add, 10) || 0, Number.parseInt(del, 10) || 0]);
  }
  return counts;
}
