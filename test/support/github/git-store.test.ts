import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git } from '../../../src/git/git.ts';
import { BareRepo } from './bare-repo.ts';
import { listTree, readFileAt, treeEntry } from './repo-tree.ts';

const ID = {
  GIT_COMMITTER_NAME: 'C',
  GIT_COMMITTER_EMAIL: 'c@x',
  GIT_AUTHOR_NAME: 'A',
  GIT_AUTHOR_EMAIL: 'a@x',
};

// The local GitHub reads refs from files and objects through `cat-file --batch-command`, and writes refs through
// `update-ref --stdin`: each answer is checked here against what git itself reports for the same repository.
describe('bare repository reads and writes agree with git', () => {
  let root: string;
  let repo: BareRepo;
  let main: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'git-store-'));
    const seed = join(root, 'seed');
    await mkdir(join(seed, 'src', 'deep'), { recursive: true });
    await writeFile(join(seed, 'README.md'), '# hello\n');
    await writeFile(join(seed, 'src', 'deep', 'a b.txt'), 'spaces in a name\n');
    await writeFile(join(seed, 'src', 'run.sh'), '#!/bin/sh\n');
    await chmod(join(seed, 'src', 'run.sh'), 0o755);
    await symlink('README.md', join(seed, 'link'));
    repo = await BareRepo.create(join(root, 'r.git'), { seed });
    main = (await git(repo.dir, ['rev-parse', 'refs/heads/main'])).trim();
  });

  afterAll(async () => {
    repo.close();
    await rm(root, { recursive: true, force: true });
  });

  it('lists refs like for-each-ref, loose and packed alike, and finds one by name', async () => {
    await git(repo.dir, ['update-ref', 'refs/tags/v1', main]);
    await git(repo.dir, ['pack-refs', '--all']);
    await git(repo.dir, ['update-ref', 'refs/heads/feature/x', main]);
    await git(repo.dir, ['update-ref', 'refs/heads/main', main]);
    const expected = (
      await git(repo.dir, ['for-each-ref', '--format=%(refname) %(objectname) %(objecttype)'])
    )
      .trim()
      .split('\n');
    expect((await repo.refs()).map((r) => `${r.ref} ${r.sha} ${r.type}`)).toEqual(expected);
    expect((await repo.refs('refs/heads/fea')).map((r) => r.ref)).toEqual(['refs/heads/feature/x']);
    expect(await repo.ref('refs/tags/v1')).toEqual({ ref: 'refs/tags/v1', sha: main, type: 'commit' });
    expect(await repo.ref('refs/heads/feature')).toBeUndefined();
    expect(await repo.ref('refs/../../config')).toBeUndefined();
  });

  it('creates a ref once, refuses a stale compare-and-swap, and keeps working after git refuses', async () => {
    expect(await repo.createRef('refs/ipo/claims/s/alignment-1', main)).toBe(true);
    expect(await repo.createRef('refs/ipo/claims/s/alignment-1', main)).toBe(false);
    const racing = await Promise.all(
      Array.from({ length: 5 }, () => repo.createRef('refs/heads/race', main)),
    );
    expect(racing.filter(Boolean)).toHaveLength(1);
    expect(await repo.moveRef('refs/heads/race', main, '1'.repeat(40))).toBe(false);
    expect(await repo.deleteRef('refs/heads/race')).toBe(true);
    expect(await repo.ref('refs/heads/race')).toBeUndefined();
    expect(await repo.createRef('refs/heads/bad name', main)).toBe(false);
    const onDisk = (
      await git(repo.dir, ['for-each-ref', '--format=%(refname)', 'refs/ipo', 'refs/heads/race'])
    )
      .trim()
      .split('\n');
    expect(onDisk).toEqual(['refs/ipo/claims/s/alignment-1']);
  });

  it('reads a commit as git show does: parents, zones, a signed header and a multi-line message', async () => {
    const tree = (await git(repo.dir, ['rev-parse', `${main}^{tree}`])).trim();
    const raw = [
      `tree ${tree}`,
      `parent ${main}`,
      `parent ${main}`,
      'author Ana Lyst <ana@example.com> 1764067422 +0530',
      'committer Bot <bot@example.com> 1764067000 -0800',
      'gpgsig -----BEGIN PGP SIGNATURE-----',
      ' abc',
      ' -----END PGP SIGNATURE-----',
      '',
      'Subject line',
      '',
      'Body, with trailer.',
      '',
      'Refs: #1',
      '',
    ].join('\n');
    const sha = (
      await git(repo.dir, ['hash-object', '-t', 'commit', '-w', '--stdin'], { input: raw })
    ).trim();
    const format = ['%H', '%T', '%P', '%an', '%ae', '%aI', '%cn', '%ce', '%cI', '%B'].join('%x00');
    const [h, t, p, an, ae, ad, cn, ce, cd, body] = (
      await git(repo.dir, ['show', '-s', `--format=${format}`, sha], { env: ID })
    ).split('\0');
    expect(await repo.commit(sha)).toEqual({
      sha: h,
      tree: t,
      parents: p?.split(' '),
      author: { name: an, email: ae, date: ad },
      committer: { name: cn, email: ce, date: cd },
      message: body?.trimEnd(),
    });
    await expect(repo.commit('f'.repeat(40))).rejects.toThrow('no commit');
  });

  it('walks trees like ls-tree: modes, sizes, names with spaces, symlinks; no path syntax applies', async () => {
    const lsTree = async (path: string) =>
      (await git(repo.dir, ['ls-tree', '-l', main, '--', path], { env: { GIT_LITERAL_PATHSPECS: '1' } }))
        .trim()
        .split('\n')
        .map((line) => {
          const [meta = '', name] = line.split('\t');
          const [mode, type, sha, size] = meta.split(/\s+/);
          return { mode, type, sha, size: Number(size) || 0, path: name };
        });
    expect(await listTree(repo, main, 'src')).toEqual(await lsTree('src/'));
    expect(await listTree(repo, main, '')).toEqual(await lsTree('.'));
    expect(await treeEntry(repo, main, 'src/deep/a b.txt')).toEqual((await lsTree('src/deep/a b.txt'))[0]);
    expect((await treeEntry(repo, main, 'link'))?.mode).toBe('120000');
    expect((await readFileAt(repo, 'main', 'src/run.sh'))?.toString()).toBe('#!/bin/sh\n');
    for (const path of ['src/../README.md', 'src/nope', 'README.md/x', ':(glob)*']) {
      expect(await treeEntry(repo, main, path)).toBeUndefined();
    }
  });

  it('settles requests in flight when closed, and serves again afterwards', async () => {
    const reader = new BareRepo(repo.dir);
    const inFlight = reader.commit(main);
    reader.close();
    await expect(inFlight).rejects.toThrow('was closed');
    expect((await reader.commit(main)).sha).toBe(main);
    reader.close();
  });

  it('keeps a process with nothing else to wait for alive until git answers, then lets it exit', async () => {
    // The git children are unreferenced while idle; a script whose only pending work is a git answer must not exit
    // before it arrives, and must exit once it has.
    const script = [
      `import { BareRepo } from ${JSON.stringify(new URL('./bare-repo.ts', import.meta.url).href)};`,
      `const repo = new BareRepo(${JSON.stringify(repo.dir)});`,
      `const main = await repo.ref('refs/heads/main');`,
      `console.log(await repo.createRef('refs/heads/from-script', main.sha), (await repo.commit(main.sha)).sha === main.sha);`,
    ].join('\n');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        timeout: 30_000,
      },
    );
    expect(stdout.trim()).toBe('true true');
    expect(await repo.ref('refs/heads/from-script')).toMatchObject({ sha: main });
  });
});
