import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createWorkspace,
  isInside,
  PathRefusedError,
  resolveInWorkspace,
} from '../../../src/agent/tools/workspace.ts';
import { type Fixture, git, makeFixture, removeFixture } from './workspace-fixture.ts';

let fx: Fixture;
beforeEach(async () => {
  fx = await makeFixture();
});
afterEach(() => removeFixture(fx));

describe('resolveInWorkspace refuses escapes', () => {
  it.each([
    ['../x', 'outside the workspace'],
    ['a/../../x', 'outside the workspace'],
    ['src/../../outside/secret.txt', 'outside the workspace'],
    ['/etc/passwd', 'outside the workspace'],
    ['linkdir', 'points outside the workspace'],
    ['linkdir/secret.txt', 'points outside the workspace'],
    ['linkdir/new-file.txt', 'points outside the workspace'],
    ['linkfile', 'points outside the workspace'],
    ['dangling', 'symbolic link whose target does not exist'],
    ['src/a.ts\0.png', 'NUL byte'],
  ])('refuses %j for reading (%s)', async (requested, reason) => {
    const refusal = resolveInWorkspace(fx.ws, requested);
    await expect(refusal).rejects.toBeInstanceOf(PathRefusedError);
    await expect(refusal).rejects.toThrow(reason);
    await expect(refusal).rejects.toThrow(JSON.stringify(requested));
  });

  it.each([
    ['linkdir/new-file.txt', 'points outside the workspace'],
    ['linkfile', 'points outside the workspace'],
    ['dangling', 'symbolic link whose target does not exist'],
    ['.git/config', 'repository metadata'],
    ['.git/hooks/pre-commit', 'repository metadata'],
    ['.git', 'repository metadata'],
    ['.GIT/config', 'repository metadata'],
    ['vendor/lib/.git/config', 'repository metadata'],
    ['src/../.git/HEAD', 'repository metadata'],
  ])('refuses %j for writing (%s)', async (requested, reason) => {
    await expect(resolveInWorkspace(fx.ws, requested, { forWrite: true })).rejects.toThrow(reason);
  });

  it('refuses a write through an in-workspace symlink that leads into .git', async () => {
    await fs.symlink(path.join(fx.root, '.git'), path.join(fx.root, 'gitlink'));
    await expect(resolveInWorkspace(fx.ws, 'gitlink/config', { forWrite: true })).rejects.toThrow(
      'repository metadata',
    );
  });

  it('refuses a write to the .git file of a linked worktree', async () => {
    const main = path.join(fx.base, 'main-repo');
    await fs.mkdir(main);
    git(main, 'init', '-q');
    git(main, 'config', 'user.name', 'Test');
    git(main, 'config', 'user.email', 'test@example.com');
    await fs.writeFile(path.join(main, 'file.txt'), 'x\n');
    git(main, 'add', 'file.txt');
    git(main, 'commit', '-q', '-m', 'init');
    const tree = path.join(fx.base, 'worktree');
    git(main, 'worktree', 'add', '-q', tree);
    const ws = await createWorkspace(tree);

    expect((await fs.stat(path.join(tree, '.git'))).isFile()).toBe(true);
    await expect(resolveInWorkspace(ws, '.git', { forWrite: true })).rejects.toThrow('repository metadata');
    await expect(resolveInWorkspace(ws, './.git', { forWrite: true })).rejects.toThrow('repository metadata');
    expect(await resolveInWorkspace(ws, 'file.txt', { forWrite: true })).toBe(path.join(ws.root, 'file.txt'));
  });
});

describe('resolveInWorkspace allows paths inside', () => {
  it.each([
    ['src/a.ts', 'src/a.ts'],
    ['./src/a.ts', 'src/a.ts'],
    ['src/../README.md', 'README.md'],
    ['.', ''],
    ['new/dir/file.txt', 'new/dir/file.txt'],
    ['.gitignore', '.gitignore'],
    ['inlink', 'README.md'],
  ])('resolves %j to <root>/%s for writing', async (requested, expected) => {
    expect(await resolveInWorkspace(fx.ws, requested, { forWrite: true })).toBe(path.join(fx.root, expected));
  });

  it('accepts an absolute path inside the workspace', async () => {
    const absolute = path.join(fx.root, 'src', 'a.ts');
    expect(await resolveInWorkspace(fx.ws, absolute)).toBe(absolute);
  });

  it('lets .git be read (only writes are refused there)', async () => {
    expect(await resolveInWorkspace(fx.ws, '.git/config')).toBe(path.join(fx.root, '.git', 'config'));
  });

  it('roots the workspace at the real path of a symlinked root', async () => {
    const alias = path.join(fx.base, 'alias');
    await fs.symlink(fx.root, alias);
    const ws = await createWorkspace(alias);
    expect(ws.root).toBe(fx.root);
    expect(await resolveInWorkspace(ws, path.join(alias, 'README.md'))).toBe(path.join(fx.root, 'README.md'));
  });
});

describe('isInside', () => {
  it.each([
    ['/w', '/w', true],
    ['/w', '/w/a', true],
    ['/w', '/w/..a', true],
    ['/w', '/wx', false],
    ['/w', '/', false],
    ['/w', '/w/../x', false],
  ])('isInside(%j, %j) is %s', (root, candidate, expected) => {
    expect(isInside(root, path.resolve(candidate))).toBe(expected);
  });
});
