/**
 * Bundles the Action into one file, `dist/index.js` (committed: GitHub runs it as is). `--check` rebuilds in memory
 * and exits 1 when the committed bundle differs, so a stale dist/ fails the tests.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The two bundles: the phase Action and the app for zero-infra workflows. */
export const BUNDLES = [
  { entry: 'src/action/index.ts', outfile: 'dist/index.js' },
  { entry: 'src/app/actions/index.ts', outfile: 'app-action/dist/index.js' },
] as const;

export async function bundleAction(bundle: (typeof BUNDLES)[number] = BUNDLES[0]): Promise<string> {
  const outfile = `${root}${bundle.outfile}`;
  const result = await build({
    absWorkingDir: root,
    entryPoints: [bundle.entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    outfile,
    legalComments: 'none',
    logLevel: 'silent',
    // CommonJS dependencies call require(); an ESM bundle needs one.
    banner: {
      js: "import { createRequire as __ipoCreateRequire } from 'node:module';\nconst require = __ipoCreateRequire(import.meta.url);",
    },
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no output');
  return file.text;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const bundle of BUNDLES) {
    const text = await bundleAction(bundle);
    const outfile = `${root}${bundle.outfile}`;
    if (process.argv.includes('--check')) {
      const current = await readFile(outfile, 'utf8').catch(() => '');
      if (current !== text) {
        console.error(`${bundle.outfile} is stale: run \`npm run build\` and commit it`);
        process.exit(1);
      }
      console.log(`${bundle.outfile} is up to date.`);
    } else {
      await mkdir(dirname(outfile), { recursive: true });
      await writeFile(outfile, text);
      console.log(`wrote ${bundle.outfile} (${(text.length / 1024).toFixed(0)} KiB)`);
    }
  }
}
