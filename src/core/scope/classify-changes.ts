import picomatch from 'picomatch';
import type { AlignmentBody } from '../../state/artifacts/alignment.ts';
import type { FileChange } from '../../state/artifacts/implementation.ts';

/** A changed file: `path`, and for a rename the `previousPath` it came from (status is accepted, not needed). */
export type ChangedFile = Pick<FileChange, 'path'> & Partial<Pick<FileChange, 'status' | 'previousPath'>>;

/** The aligned scope, as the alignment artifact states it. */
export type ChangeScope = Pick<AlignmentBody['scope'], 'filesIn' | 'filesForbidden'>;

/** Changed paths sorted by what the scope says about them; each path appears once, in input order. */
export interface ChangeClassification {
  inScope: string[];
  forbidden: string[];
  unrequested: string[];
}

/**
 * Sorts changed files against the aligned scope: `forbidden` when any forbidden pattern matches (it wins over
 * `filesIn`), `inScope` when a `filesIn` pattern matches, otherwise `unrequested`. A rename counts by the worse
 * of its two paths, since it removes the old one as surely as it adds the new one.
 */
export function classifyChanges(files: readonly ChangedFile[], scope: ChangeScope): ChangeClassification {
  const isIn = scopeMatcher(scope.filesIn);
  const isForbidden = scopeMatcher(scope.filesForbidden);
  const result: ChangeClassification = { inScope: [], forbidden: [], unrequested: [] };
  const seen = new Set<string>();
  for (const file of files) {
    const path = normalizePath(file.path);
    if (seen.has(path)) continue;
    seen.add(path);
    const paths = file.previousPath === undefined ? [path] : [path, normalizePath(file.previousPath)];
    if (paths.some(isForbidden)) result.forbidden.push(path);
    else if (paths.every(isIn)) result.inScope.push(path);
    else result.unrequested.push(path);
  }
  return result;
}

/**
 * A predicate for a list of scope patterns. A glob matches with picomatch (`dot: true`, POSIX paths, so `*.md`
 * is top-level only and `**` spans directories); any pattern also matches literally, as the file itself or as a
 * directory containing it (`src`, `src/`, `./src/`), so a file really named `src/[id].ts` is matched too. A `!`
 * pattern excludes what it matches from the list, as in .gitignore.
 */
export function scopeMatcher(patterns: readonly string[]): (path: string) => boolean {
  const include: Array<(path: string) => boolean> = [];
  const exclude: Array<(path: string) => boolean> = [];
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = normalizePath(negated ? raw.slice(1) : raw);
    (negated ? exclude : include).push(patternMatcher(pattern));
  }
  return (path) => {
    const normalized = normalizePath(path);
    return include.some((m) => m(normalized)) && !exclude.some((m) => m(normalized));
  };
}

function patternMatcher(pattern: string): (path: string) => boolean {
  const literal = pattern.replace(/\/+$/, '');
  // `.` or an empty pattern names the repository root: everything.
  if (literal === '' || literal === '.') return () => true;
  const glob = picomatch.scan(pattern).isGlob
    ? picomatch(pattern, { dot: true, windows: false })
    : () => false;
  return (path) => path === literal || path.startsWith(`${literal}/`) || glob(path);
}

/** Git paths are POSIX and relative; the model may still write `./src/x.ts`, `/src/x.ts` or `src//x.ts`. */
function normalizePath(path: string): string {
  return path
    .trim()
    .replace(/\/{2,}/g, '/')
    .replace(/^(?:\.\/|\/)+/, '');
}
