import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEditFileTool, type EditFileInput } from '../../../src/agent/tools/edit-file.ts';
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
  await fs.writeFile(path.join(fx.root, 'dup.txt'), 'foo bar foo baz foo\n');
});
afterEach(() => removeFixture(fx));

const read = (file: string) => fs.readFile(path.join(fx.root, file), 'utf8');

describe('edit_file', () => {
  it('replaces a unique occurrence', async () => {
    const text = await createEditFileTool(fx.ws).run({
      path: 'src/a.ts',
      oldString: 'b = 2',
      newString: 'b = 3',
    });
    expect(text).toBe('Replaced 1 occurrence in src/a.ts.');
    expect(await read('src/a.ts')).toBe('export const a = 1;\nexport const b = 3;\n');
  });

  it('replaces every occurrence with replaceAll', async () => {
    const input = { path: 'dup.txt', oldString: 'foo', newString: 'qux', replaceAll: true };
    expect(await createEditFileTool(fx.ws).run(input)).toBe('Replaced 3 occurrences in dup.txt.');
    expect(await read('dup.txt')).toBe('qux bar qux baz qux\n');
  });

  it('keeps $-patterns in newString literal', async () => {
    await createEditFileTool(fx.ws).run({ path: 'src/a.ts', oldString: 'a = 1', newString: "a = '$&$1'" });
    expect(await read('src/a.ts')).toContain("export const a = '$&$1';");
  });

  it.each<[string, Partial<EditFileInput>, string]>([
    ['no match', { path: 'dup.txt', oldString: 'nope' }, 'oldString was not found in dup.txt'],
    ['an ambiguous match', { path: 'dup.txt', oldString: 'foo' }, 'oldString occurs 3 times in dup.txt'],
    ['an empty oldString', { path: 'dup.txt', oldString: '' }, 'oldString is empty'],
    ['a missing file', { path: 'nope.txt', oldString: 'x' }, '"nope.txt" does not exist'],
    ['a .git path', { path: '.git/config', oldString: '[core]' }, 'repository metadata'],
    ['a symlinked file outside', { path: 'linkfile', oldString: 'outside' }, 'points outside the workspace'],
    ['a file under a symlinked dir', { path: 'linkdir/secret.txt', oldString: 'outside' }, 'points outside'],
    ['a path climbing out', { path: '../outside/secret.txt', oldString: 'outside' }, 'outside the workspace'],
  ])('refuses %s and leaves files unchanged', async (_case, input, message) => {
    const outcome = await runTool(createEditFileTool(fx.ws), { newString: 'changed', ...input });
    expect(outcome.isError).toBe(true);
    expect(outcomeText(outcome)).toContain(message);
    expect(await read('dup.txt')).toBe('foo bar foo baz foo\n');
    expect(await read('.git/config')).toBe('[core]\n');
    expect(await fs.readFile(path.join(fx.outside, 'secret.txt'), 'utf8')).toBe(`${OUTSIDE_SECRET}\n`);
  });
});
