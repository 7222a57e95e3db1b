import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { git, gitOk } from '../../../src/git/git.ts';
import { GitObjects } from './git-objects.ts';
import { readRefFile, readRefFiles } from './git-ref-files.ts';
import { GitRefWriter } from './git-ref-writer.ts';

export interface RefEntry {
  /** Full name, e.g. `refs/heads/main`. */
  ref: string;
  sha: string;
  type: string;
}

export interface CommitInfo {
  sha: string;
  tree: string;
  parents: string[];
  author: { name: string; email: string; date: string };
  committer: { name: string; email: string; date: string };
  message: string;
}

const SEED_IDENTITY = { GIT_AUTHOR_NAME: 'Local GitHub', GIT_AUTHOR_EMAIL: 'noreply@127.0.0.1' };
const ZERO_SHA = '0'.repeat(40);

/**
 * A real bare repository on disk: the refs API reads and writes it, and git clients push to it over HTTP. Reads go
 * through ref files and one `git cat-file --batch-command`; writes through `git update-ref`, whose lock decides races.
 */
export class BareRepo {
  readonly objects: GitObjects;
  private readonly writer: GitRefWriter;
  // An object's type never changes, so ref listings look each sha up once.
  private readonly types = new Map<string, string>();

  constructor(readonly dir: string) {
    this.objects = new GitObjects(dir);
    this.writer = new GitRefWriter(dir);
  }

  /** Creates `<dir>` with `git init --bare` on `main`, holding one commit: `seed`'s files or a README. */
  static async create(dir: string, options: { seed?: string; readme?: string }): Promise<BareRepo> {
    await git(dirname(dir), ['init', '--bare', '--quiet', '--initial-branch=main', dir]);
    const repo = new BareRepo(dir);
    const tree = options.seed
      ? await repo.treeOf(options.seed)
      : await repo.treeWithFile('README.md', options.readme ?? '# repository\n');
    const env = {
      ...SEED_IDENTITY,
      GIT_COMMITTER_NAME: 'Local GitHub',
      GIT_COMMITTER_EMAIL: 'noreply@127.0.0.1',
    };
    const commit = (await git(dir, ['commit-tree', tree, '-m', 'Initial commit'], { env })).trim();
    await git(dir, ['update-ref', 'refs/heads/main', commit, ZERO_SHA]);
    return repo;
  }

  /** Refs whose full name starts with `prefix` (every ref by default), sorted by name. */
  async refs(prefix = 'refs/'): Promise<RefEntry[]> {
    const refs = await readRefFiles(this.dir, prefix);
    return Promise.all([...refs].map(async ([ref, sha]) => ({ ref, sha, type: await this.typeOf(sha) })));
  }

  async ref(ref: string): Promise<RefEntry | undefined> {
    const sha = await readRefFile(this.dir, ref);
    return sha ? { ref, sha, type: await this.typeOf(sha) } : undefined;
  }

  async hasObject(sha: string): Promise<boolean> {
    return (await this.objects.info(sha)) !== undefined;
  }

  /** Stops the object reader (it is restarted by the next read). */
  close(): void {
    this.objects.close();
    this.writer.close();
  }

  /** Creates `ref` only if it does not exist; git's lock makes racing creations yield exactly one winner. */
  async createRef(ref: string, sha: string): Promise<boolean> {
    return this.writer.apply({ op: 'create', ref, sha });
  }

  /** Moves `ref` to `sha`, failing if it no longer points at `expected` (compare-and-swap). */
  async moveRef(ref: string, sha: string, expected: string): Promise<boolean> {
    return this.writer.apply({ op: 'update', ref, sha, expected });
  }

  async deleteRef(ref: string): Promise<boolean> {
    return this.writer.apply({ op: 'delete', ref });
  }

  /** Writes a blob object (as `POST /git/blobs` does) and returns its id. */
  async writeBlob(content: string): Promise<string> {
    return (await git(this.dir, ['hash-object', '-w', '--stdin'], { input: content })).trim();
  }

  /** The bytes of blob `sha`, or undefined when there is no such blob. */
  async blob(sha: string): Promise<Buffer | undefined> {
    const found = await this.objects.contents(sha);
    return found?.info.type === 'blob' ? found.bytes : undefined;
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    return gitOk(this.dir, ['merge-base', '--is-ancestor', ancestor, descendant]);
  }

  async commit(sha: string): Promise<CommitInfo> {
    const found = await this.objects.contents(`${sha}^{commit}`);
    if (!found) throw new Error(`local GitHub: no commit ${sha} in ${this.dir}`);
    return parseCommit(found.info.oid, found.bytes.toString('utf8'));
  }

  private async typeOf(sha: string): Promise<string> {
    let type = this.types.get(sha);
    if (!type) {
      type = (await this.objects.info(sha))?.type ?? 'commit';
      this.types.set(sha, type);
    }
    return type;
  }

  /** Writes `seed`'s files (honouring its .gitignore) as a tree, using a throwaway index so nothing is touched. */
  private async treeOf(seed: string): Promise<string> {
    const scratch = await mkdtemp(join(tmpdir(), 'local-github-index-'));
    try {
      const env = { GIT_INDEX_FILE: join(scratch, 'index') };
      await git(seed, ['--git-dir', this.dir, '--work-tree', seed, 'add', '--all', '.'], { env });
      return (await git(seed, ['--git-dir', this.dir, 'write-tree'], { env })).trim();
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  private async treeWithFile(name: string, content: string): Promise<string> {
    const blob = (await git(this.dir, ['hash-object', '-w', '--stdin'], { input: content })).trim();
    return (await git(this.dir, ['mktree'], { input: `100644 blob ${blob}\t${name}\n` })).trim();
  }
}

/** A raw commit object → the fields `git show --format=%H%T%P%an%ae%aI…%B` reports. */
export function parseCommit(sha: string, raw: string): CommitInfo {
  const blank = raw.indexOf('\n\n');
  const headers = (blank < 0 ? raw : raw.slice(0, blank)).split('\n');
  const message = blank < 0 ? '' : raw.slice(blank + 2);
  const info: CommitInfo = {
    sha,
    tree: '',
    parents: [],
    author: { name: '', email: '', date: '' },
    committer: { name: '', email: '', date: '' },
    message: message.trimEnd(),
  };
  for (const line of headers) {
    // Continuation lines (a signature's body) start with a space and belong to the previous header.
    if (line.startsWith(' ')) continue;
    const space = line.indexOf(' ');
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key === 'tree') info.tree = value;
    else if (key === 'parent') info.parents.push(value);
    else if (key === 'author') info.author = parseIdent(value);
    else if (key === 'committer') info.committer = parseIdent(value);
  }
  return info;
}

/** `Name <email> 1764067422 +0100` → name, email and the strict ISO 8601 date in the ident's own zone (`%aI`). */
function parseIdent(value: string): { name: string; email: string; date: string } {
  const match = /^(.*?) ?<([^>]*)> (\d+) ([+-])(\d\d)(\d\d)$/.exec(value);
  if (!match) return { name: value, email: '', date: '' };
  const [, name = '', email = '', seconds = '0', sign = '+', hh = '00', mm = '00'] = match;
  const offsetMinutes = (sign === '-' ? -1 : 1) * (Number(hh) * 60 + Number(mm));
  const local = new Date((Number(seconds) + offsetMinutes * 60) * 1000).toISOString().slice(0, 19);
  return { name, email, date: `${local}${sign}${hh}:${mm}` };
}
