import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const BIOME = join(ROOT, 'node_modules/.bin/biome');

/** Each file imports one thing; the rule either refuses that arrow or lets it through. */
const FILES: Array<[path: string, specifier: string, refused: boolean]> = [
  ['src/github/a.ts', '../cli/render/progress.ts', true],
  ['src/report/b.ts', '../cli/render/render-log.ts', true],
  ['src/report/c.ts', '../app/index.ts', true],
  ['src/report/d.ts', '../github/status-marker.ts', false],
  ['src/core/e.ts', '../github/status-marker.ts', true],
  ['src/core/session/f.ts', '../../report/format.ts', true],
  ['src/core/session/g.ts', '../../session/ledger-ops.ts', true],
  ['src/core/session/h.ts', 'node:fs', true],
  ['src/core/session/i.ts', '../phases.ts', false],
  ['src/core/session/j.ts', '../../state/ledger.ts', false],
  ['src/core/k.ts', './phases.ts', false],
];

let dir: string;
let refused: Set<string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ipo-layers-'));
  // The project's own rules, without the git integration (the fixture is no repository).
  const config = JSON.parse(await readFile(join(ROOT, 'biome.json'), 'utf8'));
  config.$schema = undefined;
  config.vcs = undefined;
  await writeFile(join(dir, 'biome.json'), JSON.stringify(config));
  for (const [path, specifier] of FILES) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), `import { x } from '${specifier}';\n\nexport const y = x;\n`);
  }
  refused = await refusedFiles();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The files Biome refuses an import in, by the project's rules (GitHub reporter: one `::error` line each). */
async function refusedFiles(): Promise<Set<string>> {
  const { stdout } = await promisify(execFile)(
    BIOME,
    ['lint', '--reporter=github', '--only=style/noRestrictedImports', 'src'],
    { cwd: dir },
  ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  const files = [...stdout.matchAll(/^::error title=lint\/style\/noRestrictedImports,file=([^,]+),/gm)];
  return new Set(files.map((m) => (m[1] ?? '').slice(dir.length + 1)));
}

describe('layer rules in Biome', () => {
  it.each(FILES)('%s importing %s: refused = %s', (path, _specifier, expected) => {
    expect(refused.has(path)).toBe(expected);
  });
});
