import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZip } from './read-zip.ts';
import { writeZip } from './write-zip.ts';

const run = promisify(execFile);

const FILES = {
  'state/session.json': JSON.stringify({ session: 'phase-1.2-20250101', phases: [] }, null, 2).repeat(20),
  'alignment.json': '{"verdict":"aligned"}',
  'logs/transcript – ünïcode.txt': 'line\n'.repeat(200),
  'empty.txt': '',
  'random.bin': Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7919) % 256)),
};

describe('zip writer and reader', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'local-github-zip-'));
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads back every file it wrote, byte for byte, from a Buffer, an ArrayBuffer or a Uint8Array view', () => {
    const zip = writeZip(FILES, new Date('2025-03-04T05:06:08Z'));
    const expected = Object.fromEntries(
      Object.entries(FILES).map(([name, content]) => [name, Buffer.from(content)]),
    );
    expect(readZip(zip)).toEqual(expected);
    const copy = new ArrayBuffer(zip.length);
    new Uint8Array(copy).set(zip);
    expect(readZip(copy)).toEqual(expected);
    const padded = new Uint8Array(zip.length + 8);
    padded.set(zip, 8);
    expect(readZip(padded.subarray(8))).toEqual(expected);
  });

  it('deflates what compresses and stores what does not', () => {
    const zip = writeZip({ 'big.txt': 'a'.repeat(10_000), 'tiny.txt': 'x' });
    expect(zip.length).toBeLessThan(10_000);
    // Method field of the first central-directory entry (big.txt sorts first) is 8, of the second 0.
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    expect(zip.readUInt16LE(central + 10)).toBe(8);
    const second = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), central + 1);
    expect(zip.readUInt16LE(second + 10)).toBe(0);
  });

  it("is a valid archive for Python's zipfile (listing and CRC test), an independent reader", async () => {
    const path = join(dir, 'artifact.zip');
    await writeFile(path, writeZip(FILES));
    const { stdout: listing } = await run('python3', ['-m', 'zipfile', '-l', path]);
    for (const name of Object.keys(FILES)) expect(listing).toContain(name);
    const { stdout: test } = await run('python3', ['-m', 'zipfile', '-t', path]);
    expect(test).toContain('Done testing');
  });

  it('reads an archive made by another writer (Python, deflated, with a directory entry)', async () => {
    const path = join(dir, 'python.zip');
    const script = [
      'import zipfile, sys',
      'with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:',
      '    z.writestr("dir/", "")',
      '    z.writestr("dir/a.txt", "hello " * 100)',
      '    z.writestr("b.json", "{}")',
    ].join('\n');
    await run('python3', ['-c', script, path]);
    expect(readZip(await readFile(path))).toEqual({
      'dir/a.txt': Buffer.from('hello '.repeat(100)),
      'b.json': Buffer.from('{}'),
    });
  });

  it.each([
    ['not a zip', Buffer.from('plain text, no zip here'), /not a zip archive/],
    ['a corrupted entry', corrupt(writeZip({ 'a.txt': 'x'.repeat(100) })), /CRC mismatch|invalid|incorrect/],
  ])('refuses %s', (_case, bytes, error) => {
    expect(() => readZip(bytes)).toThrow(error);
  });
});

function corrupt(zip: Buffer): Buffer {
  const copy = Buffer.from(zip);
  // Flip a byte inside the first entry's data (after the 30-byte header and the 5-byte name).
  copy[36] = (copy[36] ?? 0) ^ 0xff;
  return copy;
}
