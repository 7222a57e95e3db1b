import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { git } from '../../../src/git/git.ts';
import type { BareRepo } from './bare-repo.ts';

const run = promisify(execFile);
const SHA = /^[0-9a-f]{40}$/;
// Paths from a request are literal names, never pathspec magic such as `:(glob)`.
const LITERAL = { GIT_LITERAL_PATHSPECS: '1' };

/** A ref resolved to its commit; `branch` is set when the name was a branch. */
export interface ResolvedRef {
  sha: string;
  branch?: string;
}

/** One entry of a tree, as `git ls-tree -l` reports it. */
export interface TreeEntry {
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  /** Bytes of a blob; 0 for trees and submodules. */
  size: number;
  /** Repository-relative path. */
  path: string;
}

/** Resolves a branch, tag, full ref (`refs/heads/x`) or commit SHA to a commit, as GitHub's `ref` parameters do. */
export async function resolveRef(repo: BareRepo, ref: string): Promise<ResolvedRef | undefined> {
  if (ref.startsWith('-') || ref.trim() === '') return undefined;
  if (SHA.test(ref)) return (await peel(repo, ref)) ? { sha: ref } : undefined;
  const candidates = ref.startsWith('refs/') ? [ref] : [`refs/heads/${ref}`, `refs/tags/${ref}`];
  for (const name of candidates) {
    const entry = await repo.ref(name);
    const sha = entry && (await peel(repo, entry.sha));
    if (!sha) continue;
    return name.startsWith('refs/heads/') ? { sha, branch: name.slice('refs/heads/'.length) } : { sha };
  }
  return undefined;
}

/** The entry at `path` in `commit`'s tree (the root tree for an empty path), or undefined. */
export async function treeEntry(
  repo: BareRepo,
  commit: string,
  path: string,
): Promise<TreeEntry | undefined> {
  const clean = path.replace(/^\/+|\/+$/g, '');
  if (clean === '') {
    const tree = (await git(repo.dir, ['rev-parse', `${commit}^{tree}`])).trim();
    return { mode: '040000', type: 'tree', sha: tree, size: 0, path: '' };
  }
  return (await lsTree(repo, [commit, '--', clean]))[0];
}

/** The entries directly inside the directory `path` of `commit`. */
export async function listTree(repo: BareRepo, commit: string, path: string): Promise<TreeEntry[]> {
  const clean = path.replace(/^\/+|\/+$/g, '');
  return lsTree(repo, clean === '' ? [commit] : [commit, '--', `${clean}/`]);
}

/** A blob's bytes (binary-safe). */
export async function readBlob(repo: BareRepo, sha: string): Promise<Buffer> {
  const { stdout } = await run('git', ['cat-file', 'blob', sha], {
    cwd: repo.dir,
    encoding: 'buffer',
    maxBuffer: 256 * 1024 * 1024,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', GIT_CONFIG_NOSYSTEM: '1' },
  });
  return stdout;
}

/** The bytes of the file at `path` on `ref`, or undefined when the ref or the file does not exist. */
export async function readFileAt(repo: BareRepo, ref: string, path: string): Promise<Buffer | undefined> {
  const resolved = await resolveRef(repo, ref);
  const entry = resolved && (await treeEntry(repo, resolved.sha, path));
  return entry?.type === 'blob' ? readBlob(repo, entry.sha) : undefined;
}

async function peel(repo: BareRepo, sha: string): Promise<string | undefined> {
  try {
    return (await git(repo.dir, ['rev-parse', '--verify', '--quiet', `${sha}^{commit}`])).trim() || undefined;
  } catch {
    return undefined;
  }
}

async function lsTree(repo: BareRepo, args: string[]): Promise<TreeEntry[]> {
  const out = await git(repo.dir, ['ls-tree', '-l', '-z', ...args], { env: LITERAL });
  return out
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf('\t');
      const [mode = '', type = '', sha = '', size = ''] = line.slice(0, tab).split(/\s+/);
      return {
        mode,
        type: type as TreeEntry['type'],
        sha,
        size: Number(size) || 0,
        path: line.slice(tab + 1),
      };
    });
}
