import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createSearchTool,
  MAX_SEARCH_FILE_BYTES,
  MAX_SEARCH_MATCHES,
  SEARCH_TIMEOUT_MS,
} from '../../../src/agent/tools/search.ts';
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

  it('gives up on a catastrophically backtracking pattern at the time limit, without blocking the loop', async () => {
    await fs.writeFile(path.join(fx.root, 'evil.txt'), `${'a'.repeat(40)}!\n`);
    let ticks = 0;
    const ticker = setInterval(() => {
      ticks += 1;
    }, 20);
    const started = Date.now();
    const outcome = await runTool(createSearchTool(fx.ws, { timeoutMs: 300 }), { pattern: '(a+)+$' });
    clearInterval(ticker);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(outcome.isError).toBe(true);
    expect(outcomeText(outcome)).toBe(
      'search timed out after 0.3 s: the pattern may backtrack catastrophically; simplify it',
    );
    expect(ticks).toBeGreaterThan(3); // timers kept firing while the worker was stuck
  });

  it('has a 5 s default time limit, ample for an ordinary pattern', async () => {
    expect(SEARCH_TIMEOUT_MS).toBe(5000);
    expect(await search({ pattern: '(a+)+$', glob: 'src/**' })).toBe('No matches for /(a+)+$/ in 1 files.');
  });

  it('numbers lines and applies the match limit across many large files', async () => {
    const filler = `${'x'.repeat(99)}\n`.repeat(Math.floor((MAX_SEARCH_FILE_BYTES - 200) / 100));
    for (const name of ['big1.txt', 'big2.txt', 'big3.txt', 'big4.txt', 'big5.txt', 'big6.txt']) {
      await fs.writeFile(path.join(fx.root, name), `${filler}needle ${name}\n`);
    }
    const lines = filler.split('\n').length;
    expect(await search({ pattern: '^needle', glob: 'big*' })).toBe(
      [1, 2, 3, 4, 5, 6].map((n) => `big${n}.txt:${lines}: needle big${n}.txt`).join('\n'),
    );
    await fs.writeFile(path.join(fx.root, 'big7.txt'), 'needle\n'.repeat(MAX_SEARCH_MATCHES));
    const capped = (await search({ pattern: '^needle', glob: 'big*' })).split('\n');
    expect(capped).toHaveLength(MAX_SEARCH_MATCHES + 1);
    expect(capped[6]).toBe('big7.txt:1: needle');
    expect(capped.at(-1)).toContain(`stopped after ${MAX_SEARCH_MATCHES} matches`);
  });

  it('cuts a long matching line to 300 characters', async () => {
    await fs.writeFile(path.join(fx.root, 'long.txt'), `hit${'y'.repeat(1000)}\n`);
    expect(await search({ pattern: 'hit', glob: 'long.txt' })).toBe(`long.txt:1: hit${'y'.repeat(297)}`);
  });
});
