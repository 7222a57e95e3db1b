import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWriteFileTool } from '../../../src/agent/tools/write-file.ts';
import {
  type Fixture,
  makeFixture,
  OUTSIDE_SECRET,
  outcomeText,
  removeFixture,
  runTool,
} from './workspace-fixture.ts';

let fx: Fixture;
beforeEach(async () => {
  fx = await makeFixture();
});
afterEach(() => removeFixture(fx));

describe('write_file', () => {
  it('creates a file and its missing directories', async () => {
    const text = await createWriteFileTool(fx.ws).run({ path: 'new/deep/file.txt', content: 'hello\n' });
    expect(text).toBe('Created new/deep/file.txt (6 bytes).');
    expect(await fs.readFile(path.join(fx.root, 'new/deep/file.txt'), 'utf8')).toBe('hello\n');
  });

  it('overwrites an existing file', async () => {
    const text = await createWriteFileTool(fx.ws).run({ path: 'README.md', content: 'x' });
    expect(text).toBe('Overwrote README.md (1 bytes).');
    expect(await fs.readFile(path.join(fx.root, 'README.md'), 'utf8')).toBe('x');
  });

  it('writes through a symlink whose target is inside, to the target', async () => {
    await createWriteFileTool(fx.ws).run({ path: 'inlink', content: '# New\n' });
    expect(await fs.readFile(path.join(fx.root, 'README.md'), 'utf8')).toBe('# New\n');
  });

  it.each([
    ['../escape.txt', 'outside the workspace'],
    ['a/../../escape.txt', 'outside the workspace'],
    ['/tmp/ipo-escape.txt', 'outside the workspace'],
    ['linkdir/planted.txt', 'points outside the workspace'],
    ['linkdir/secret.txt', 'points outside the workspace'],
    ['linkfile', 'points outside the workspace'],
    ['dangling', 'symbolic link whose target does not exist'],
    ['.git/config', 'repository metadata'],
    ['.git/hooks/post-checkout', 'repository metadata'],
    ['x\0.txt', 'NUL byte'],
  ])('refuses %j (%s) and writes nothing', async (requested, reason) => {
    const outcome = await runTool(createWriteFileTool(fx.ws), { path: requested, content: 'pwned' });
    expect(outcome.isError).toBe(true);
    expect(outcomeText(outcome)).toContain(reason);
    expect(await fs.readdir(fx.outside)).toEqual(['secret.txt']);
    expect(await fs.readFile(path.join(fx.outside, 'secret.txt'), 'utf8')).toBe(`${OUTSIDE_SECRET}\n`);
    expect(await fs.readFile(path.join(fx.root, '.git', 'config'), 'utf8')).toBe('[core]\n');
    await expect(fs.access(path.join(fx.base, 'escape.txt'))).rejects.toThrow();
    await expect(fs.access('/tmp/ipo-escape.txt')).rejects.toThrow();
  });

  it('refuses to write over a directory with a clear message', async () => {
    const outcome = await runTool(createWriteFileTool(fx.ws), { path: 'src', content: '' });
    expect(outcome).toEqual({ isError: true, content: '"src" is a directory, not a file' });
  });
});
