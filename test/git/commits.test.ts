import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesChanged } from '../../src/git/commits.ts';
import { git } from '../../src/git/git.ts';

const ID = { identity: { name: 'Test', email: 'test@example.com' } };

describe('filesChanged', () => {
  let dir: string;
  let base: string;
  let head: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ipo-files-changed-'));
    await git(dir, ['init', '--quiet']);
    await mkdir(join(dir, 'forbidden'));
    const body = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
    await writeFile(join(dir, 'forbidden', 'secret.ts'), `${body}\n`);
    await writeFile(join(dir, 'keep.ts'), 'a\nb\n');
    await writeFile(join(dir, 'gone.ts'), 'x\n');
    await git(dir, ['add', '--all']);
    await git(dir, ['commit', '--quiet', '-m', 'base'], ID);
    base = (await git(dir, ['rev-parse', 'HEAD'])).trim();
    await git(dir, ['mv', 'forbidden/secret.ts', 'moved out.ts']);
    await writeFile(join(dir, 'moved out.ts'), `${body}\nline 20\n`);
    await writeFile(join(dir, 'keep.ts'), 'a\nB\nc\n');
    await rm(join(dir, 'gone.ts'));
    await writeFile(join(dir, 'tab\there.ts'), 'new\n');
    await writeFile(join(dir, 'blob.bin'), Buffer.from([0, 1, 2, 0, 255]));
    await git(dir, ['add', '--all']);
    await git(dir, ['commit', '--quiet', '-m', 'change'], ID);
    head = (await git(dir, ['rev-parse', 'HEAD'])).trim();
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reports a rename with its old path, and odd names and binaries exactly', async () => {
    const changes = await filesChanged(dir, base, head);
    expect([...changes].sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'blob.bin', status: 'added', additions: 0, deletions: 0 },
      { path: 'gone.ts', status: 'deleted', additions: 0, deletions: 1 },
      { path: 'keep.ts', status: 'modified', additions: 2, deletions: 1 },
      {
        path: 'moved out.ts',
        previousPath: 'forbidden/secret.ts',
        status: 'renamed',
        additions: 1,
        deletions: 0,
      },
      { path: 'tab\there.ts', status: 'added', additions: 1, deletions: 0 },
    ]);
  });
});
