import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

const SHA = /^[0-9a-f]{40}$/;

/**
 * Refs read straight from git's files backend (loose files under `refs/` win over `packed-refs`), so listing refs
 * costs file reads instead of a `git for-each-ref` spawn. Writers are git itself, which replaces a ref by renaming
 * a finished lock file: a reader sees the old value or the new one, never half of one.
 */
export async function readRefFiles(gitDir: string, prefix = 'refs/'): Promise<Map<string, string>> {
  const refs = new Map([...(await readPackedRefs(gitDir))].filter(([name]) => name.startsWith(prefix)));
  // Only the directory the prefix lies in needs reading: `refs/heads/ipo/x-` → `refs/heads/ipo/`.
  const dir = isSafeRefName(`${prefix}x`) ? prefix.slice(0, prefix.lastIndexOf('/') + 1) : 'refs/';
  let files: string[] = [];
  try {
    files = await readdir(join(gitDir, dir), { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
  }
  await Promise.all(
    files
      .map((file) => `${dir}${file.split(sep).join('/')}`)
      .filter((name) => !name.endsWith('.lock') && name.startsWith(prefix))
      .map(async (name) => {
        const sha = await readLooseRef(gitDir, name);
        if (sha) refs.set(name, sha);
      }),
  );
  return new Map([...refs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** One ref by its full name (`refs/heads/main`), or undefined. */
export async function readRefFile(gitDir: string, name: string): Promise<string | undefined> {
  if (!isSafeRefName(name)) return undefined;
  return (await readLooseRef(gitDir, name)) ?? (await readPackedRefs(gitDir)).get(name);
}

// A name from a request becomes a path: it must stay under `refs/` and use git's ref-name rules that matter here.
function isSafeRefName(name: string): boolean {
  return (
    name.startsWith('refs/') &&
    !name.split('/').some((part) => part === '' || part === '.' || part === '..' || part.endsWith('.lock')) &&
    !/[\0\\\s~^:?*[]/.test(name) &&
    !relative('refs', name).startsWith('..')
  );
}

async function readLooseRef(gitDir: string, name: string): Promise<string | undefined> {
  try {
    const text = (await readFile(join(gitDir, name), 'utf8')).trim();
    // Symbolic refs (`ref: …`) only occur outside `refs/` in the repositories the local GitHub serves.
    return SHA.test(text) ? text : undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Gone since the directory was listed, or a directory (`refs/heads` itself): not a ref.
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

async function readPackedRefs(gitDir: string): Promise<Map<string, string>> {
  const refs = new Map<string, string>();
  let text = '';
  try {
    text = await readFile(join(gitDir, 'packed-refs'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return refs;
    throw error;
  }
  for (const line of text.split('\n')) {
    // `# pack-refs with: …` header and `^<sha>` peeled-tag lines carry no ref of their own.
    if (line.startsWith('#') || line.startsWith('^')) continue;
    const space = line.indexOf(' ');
    const sha = line.slice(0, space);
    if (space > 0 && SHA.test(sha)) refs.set(line.slice(space + 1), sha);
  }
  return refs;
}
