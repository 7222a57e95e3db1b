import type { BareRepo } from './bare-repo.ts';

const SHA = /^[0-9a-f]{40}$/;

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
  const root = await repo.objects.info(`${commit}^{tree}`);
  if (!root) return undefined;
  let entry: TreeEntry = { mode: '040000', type: 'tree', sha: root.oid, size: 0, path: '' };
  // Walk the path one literal name at a time: no revision or pathspec syntax ever applies to it.
  for (const name of splitPath(path)) {
    if (entry.type !== 'tree') return undefined;
    const want = entry.path ? `${entry.path}/${name}` : name;
    const found = (await readTree(repo, entry.sha, entry.path)).find((e) => e.path === want);
    if (!found) return undefined;
    entry = found;
  }
  if (entry.type === 'blob') entry = { ...entry, size: (await repo.objects.info(entry.sha))?.size ?? 0 };
  return entry;
}

/** The entries directly inside the directory `path` of `commit` (blob sizes included, as `ls-tree -l`). */
export async function listTree(repo: BareRepo, commit: string, path: string): Promise<TreeEntry[]> {
  const dir = await treeEntry(repo, commit, path);
  if (dir?.type !== 'tree') return [];
  const entries = await readTree(repo, dir.sha, dir.path);
  return Promise.all(
    entries.map(async (e) =>
      e.type === 'blob' ? { ...e, size: (await repo.objects.info(e.sha))?.size ?? 0 } : e,
    ),
  );
}

/** A blob's bytes (binary-safe). */
export async function readBlob(repo: BareRepo, sha: string): Promise<Buffer> {
  const found = await repo.objects.contents(sha);
  if (found?.info.type !== 'blob') throw new Error(`local GitHub: ${sha} is not a blob`);
  return found.bytes;
}

/** The bytes of the file at `path` on `ref`, or undefined when the ref or the file does not exist. */
export async function readFileAt(repo: BareRepo, ref: string, path: string): Promise<Buffer | undefined> {
  const resolved = await resolveRef(repo, ref);
  const entry = resolved && (await treeEntry(repo, resolved.sha, path));
  return entry?.type === 'blob' ? readBlob(repo, entry.sha) : undefined;
}

async function peel(repo: BareRepo, sha: string): Promise<string | undefined> {
  return (await repo.objects.info(`${sha}^{commit}`))?.oid;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((part) => part !== '');
}

/** A tree object's entries (`<mode> <name>\0<20-byte id>` each), with paths under `prefix`; sizes left at 0. */
async function readTree(repo: BareRepo, sha: string, prefix: string): Promise<TreeEntry[]> {
  const found = await repo.objects.contents(sha);
  if (found?.info.type !== 'tree') return [];
  const bytes = found.bytes;
  const entries: TreeEntry[] = [];
  let at = 0;
  while (at < bytes.length) {
    const space = bytes.indexOf(0x20, at);
    const nul = bytes.indexOf(0, space);
    const mode = bytes.subarray(at, space).toString('latin1').padStart(6, '0');
    const name = bytes.subarray(space + 1, nul).toString('utf8');
    const id = bytes.subarray(nul + 1, nul + 21).toString('hex');
    at = nul + 21;
    const type = mode === '040000' ? 'tree' : mode === '160000' ? 'commit' : 'blob';
    entries.push({ mode, type, sha: id, size: 0, path: prefix ? `${prefix}/${name}` : name });
  }
  return entries;
}
