import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { git, gitOk } from '../../../src/git/git.ts';

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

/** A real bare repository on disk: the refs API reads and writes it, and git clients push to it over HTTP. */
export class BareRepo {
  constructor(readonly dir: string) {}

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

  /** Every ref, sorted by name (what `matching-refs` filters). */
  async refs(): Promise<RefEntry[]> {
    const out = await git(this.dir, ['for-each-ref', '--format=%(refname)%00%(objectname)%00%(objecttype)']);
    return out
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [ref = '', sha = '', type = ''] = line.split('\0');
        return { ref, sha, type };
      });
  }

  async ref(ref: string): Promise<RefEntry | undefined> {
    return (await this.refs()).find((entry) => entry.ref === ref);
  }

  async hasObject(sha: string): Promise<boolean> {
    return gitOk(this.dir, ['cat-file', '-e', sha]);
  }

  /** Creates `ref` only if it does not exist; git's lock makes racing creations yield exactly one winner. */
  async createRef(ref: string, sha: string): Promise<boolean> {
    return gitOk(this.dir, ['update-ref', ref, sha, ZERO_SHA]);
  }

  /** Moves `ref` to `sha`, failing if it no longer points at `expected` (compare-and-swap). */
  async moveRef(ref: string, sha: string, expected: string): Promise<boolean> {
    return gitOk(this.dir, ['update-ref', ref, sha, expected]);
  }

  async deleteRef(ref: string): Promise<boolean> {
    return gitOk(this.dir, ['update-ref', '-d', ref]);
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    return gitOk(this.dir, ['merge-base', '--is-ancestor', ancestor, descendant]);
  }

  async commit(sha: string): Promise<CommitInfo> {
    const format = ['%H', '%T', '%P', '%an', '%ae', '%aI', '%cn', '%ce', '%cI', '%B'].join('%x00');
    const out = await git(this.dir, ['show', '-s', `--format=${format}`, sha]);
    const [
      full = '',
      tree = '',
      parents = '',
      an = '',
      ae = '',
      ad = '',
      cn = '',
      ce = '',
      cd = '',
      ...rest
    ] = out.split('\0');
    return {
      sha: full,
      tree,
      parents: parents.split(' ').filter(Boolean),
      author: { name: an, email: ae, date: ad },
      committer: { name: cn, email: ce, date: cd },
      message: rest.join('\0').trimEnd(),
    };
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
