import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSearchTool, MAX_SEARCH_MATCHES } from '../../../src/agent/tools/search.ts';
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
  await fs.writeFile(path.join(fx.root, '.gitignore'), 'ignored/\n');
  await fs.mkdir(path.join(fx.root, 'ignored'));
  await fs.writeFile(path.join(fx.root, 'ignored', 'hit.ts'), 'export const a = 1;\n');
  await fs.writeFile(
    path.join(fx.root, 'blob.bin'),
    Buffer.concat([Buffer.from('export const a'), Buffer.from([0])]),
  );
  await fs.writeFile(path.join(fx.root, 'notes.md'), 'Export rules\nnothing here\n');
});
afterEach(() => removeFixture(fx));

const search = async (input: { pattern: string; glob?: string; caseSensitive?: boolean }) =>
  String(await createSearchTool(fx.ws).run(input));

describe('search', () => {
  it('answers path:line: text for each matching line, case-sensitive by default', async () => {
    expect(await search({ pattern: 'export const \\w' })).toBe(
      'src/a.ts:1: export const a = 1;\nsrc/a.ts:2: export const b = 2;',
    );
  });

  it('matches case-insensitively on request', async () => {
    expect(await search({ pattern: '^export', caseSensitive: false, glob: '*.md' })).toBe(
      'notes.md:1: Export rules',
    );
  });

  it('skips binary files, .gitignored files, .git and symlinks that lead outside', async () => {
    await fs.writeFile(path.join(fx.root, '.git', 'HEAD'), 'export const a\n');
    const text = await search({ pattern: `export const a|${OUTSIDE_SECRET}` });
    expect(text).toBe('src/a.ts:1: export const a = 1;');
  });

  it('stops after the match limit and says so', async () => {
    await fs.writeFile(path.join(fx.root, 'many.txt'), 'hit\n'.repeat(MAX_SEARCH_MATCHES + 10));
    const lines = (await search({ pattern: 'hit' })).split('\n');
    expect(lines).toHaveLength(MAX_SEARCH_MATCHES + 1);
    expect(lines.at(-1)).toContain(`stopped after ${MAX_SEARCH_MATCHES} matches`);
  });

  it('says how many files it looked at when nothing matches', async () => {
    expect(await search({ pattern: 'zzz', glob: 'src/**' })).toBe('No matches for /zzz/ in 1 files.');
  });

  it('answers an invalid regular expression with a clear is_error result', async () => {
    const outcome = await runTool(createSearchTool(fx.ws), { pattern: 'foo(' });
    expect(outcome.isError).toBe(true);
    expect(outcomeText(outcome)).toMatch(/^Invalid regular expression "foo\(": /);
  });

  it('refuses a glob that climbs out of the workspace', async () => {
    const outcome = await runTool(createSearchTool(fx.ws), { pattern: 'secret', glob: '../outside/*' });
    expect(outcome.isError).toBe(true);
    expect(outcomeText(outcome)).not.toContain(OUTSIDE_SECRET);
  });
});
