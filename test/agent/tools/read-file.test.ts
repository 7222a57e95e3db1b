import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReadFileTool, MAX_LINE_CHARS, splitLines } from '../../../src/agent/tools/read-file.ts';
import { createWorkspace } from '../../../src/agent/tools/workspace.ts';
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
  const lines = Array.from({ length: 50 }, (_, i) => `line ${i + 1}`).join('\n');
  await fs.writeFile(path.join(fx.root, 'fifty.txt'), `${lines}\n`);
});
afterEach(() => removeFixture(fx));

describe('read_file', () => {
  it('returns numbered lines like cat -n', async () => {
    const text = await createReadFileTool(fx.ws).run({ path: 'src/a.ts' });
    expect(text).toBe('     1\texport const a = 1;\n     2\texport const b = 2;');
  });

  it('returns the requested line range and says which lines it showed', async () => {
    const text = await createReadFileTool(fx.ws).run({ path: 'fifty.txt', startLine: 10, endLine: 12 });
    expect(text).toBe('    10\tline 10\n    11\tline 11\n    12\tline 12\n[lines 10-12 of 50]');
  });

  it('cuts output at the byte cap on a line boundary and says where to continue', async () => {
    const ws = await createWorkspace(fx.root, { maxReadBytes: 60 });
    const text = String(await createReadFileTool(ws).run({ path: 'fifty.txt' }));
    const shown = text.split('\n').filter((line) => /^\s+\d+\t/.test(line));
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.join('\n').length).toBeLessThanOrEqual(60);
    expect(text).toContain(`call read_file with startLine=${shown.length + 1} to continue`);
  });

  it('cuts a very long line and says how much was left out', async () => {
    await fs.writeFile(path.join(fx.root, 'min.js'), 'x'.repeat(MAX_LINE_CHARS + 25));
    const text = await createReadFileTool(fx.ws).run({ path: 'min.js' });
    expect(text).toContain('[line cut: 25 more characters]');
  });

  it('reads a symlink whose target is inside the workspace', async () => {
    expect(await createReadFileTool(fx.ws).run({ path: 'inlink' })).toBe('     1\t# Demo');
  });

  it.each([
    ['binary.bin', 'is a binary file'],
    ['src', 'is a directory'],
    ['missing.txt', 'does not exist'],
    ['empty.txt', 'is empty'],
  ])('answers %j with "%s"', async (file, message) => {
    await fs.writeFile(path.join(fx.root, 'binary.bin'), Buffer.from([0x89, 0x50, 0x00, 0x01]));
    await fs.writeFile(path.join(fx.root, 'empty.txt'), '');
    const outcome = await runTool(createReadFileTool(fx.ws), { path: file });
    expect(outcomeText(outcome)).toContain(message);
  });

  it('refuses a startLine past the end', async () => {
    const outcome = await runTool(createReadFileTool(fx.ws), { path: 'fifty.txt', startLine: 51 });
    expect(outcome).toEqual({
      isError: true,
      content: 'startLine 51 is past the end of fifty.txt (50 lines)',
    });
  });

  it.each([
    '../outside/secret.txt',
    'a/../../outside/secret.txt',
    '/etc/passwd',
    'linkdir/secret.txt',
    'linkfile',
    'src/a.ts\0',
  ])('refuses %j, as an is_error result through the SDK runner', async (requested) => {
    await expect(createReadFileTool(fx.ws).run({ path: requested })).rejects.toThrow('Refused path');
    const outcome = await runTool(createReadFileTool(fx.ws), { path: requested });
    expect(outcome.isError).toBe(true);
    expect(outcomeText(outcome)).toMatch(/^Refused path /);
    expect(outcomeText(outcome)).not.toContain(OUTSIDE_SECRET);
  });

  it('reports invalid input as an is_error result', async () => {
    const outcome = await runTool(createReadFileTool(fx.ws), { path: 'src/a.ts', startLine: 0 });
    expect(outcome.isError).toBe(true);
  });
});

describe('splitLines', () => {
  it.each([
    ['', []],
    ['a', ['a']],
    ['a\n', ['a']],
    ['a\n\n', ['a', '']],
    ['a\nb', ['a', 'b']],
  ])('splits %j into %j', (text, lines) => {
    expect(splitLines(text)).toEqual(lines);
  });
});
