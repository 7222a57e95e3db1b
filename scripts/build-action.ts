/**
 * Bundles the Action into one file, `dist/index.js` (committed: GitHub runs it as is). `--check` rebuilds in memory
 * and exits 1 when the committed bundle differs, so a stale dist/ fails the tests.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outfile = `${root}dist/index.js`;

export async function bundleAction(): Promise<string> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['src/action/index.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    outfile,
    legalComments: 'none',
    logLevel: 'silent',
    // CommonJS dependencies call require(); an ESM bundle needs one.
    banner: { js: "import { createRequire as __ipoCreateRequire } from 'node:module';\nconst require = __ipoCreateRequire(import.meta.url);" },
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no output');
  return file.text;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = await bundleAction();
  if (process.argv.includes('--check')) {
    const current = await readFile(outfile, 'utf8').catch(() => '');
    if (current !== text) {
      console.error('dist/index.js is stale: run `npm run build` and commit dist/');
      process.exit(1);
    }
    console.log('dist/index.js is up to date.');
  } else {
    await writeFile(outfile, text);
    console.log(`wrote dist/index.js (${(text.length / 1024).toFixed(0)} KiB)`);
  }
}
