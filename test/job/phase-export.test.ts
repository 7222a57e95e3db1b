import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExportChangedError, readExport, writeExport } from '../../src/job/phase-export.ts';

describe('the phase export', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ipo-export-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('replaces a file planted under the same name before it wrote, and reads back exactly what it wrote', async () => {
    await writeFile(join(dir, 'session.json'), 'planted early');
    const exported = await writeExport(dir, [{ file: 'session.json', text: '{"ok":true}\n' }]);

    expect(await readFile(join(dir, 'session.json'), 'utf8')).toBe('{"ok":true}\n');
    expect((await readExport(dir, exported)).get('session.json')).toBe('{"ok":true}\n');
  });

  it.each([
    ['a file rewritten', (d: string) => writeFile(join(d, 'a.json'), 'forged'), /a\.json changed/],
    ['a file added', (d: string) => writeFile(join(d, 'extra.json'), 'x'), /extra\.json was not written/],
    ['a file removed', (d: string) => rm(join(d, 'a.json')), /a\.json is missing/],
  ])(
    'refuses an out-dir with %s after writing, saying which and what to do',
    async (_case, change, reason) => {
      const exported = await writeExport(dir, [{ file: 'a.json', text: 'computed' }]);
      await change(dir);

      const error = await readExport(dir, exported).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExportChangedError);
      expect((error as Error).message).toMatch(reason);
      expect((error as Error).message).toContain('retry the phase');
    },
  );
});
