import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const EXAMPLE = fileURLToPath(new URL('../../examples/demo-repo', import.meta.url));
const OVERLAY = fileURLToPath(new URL('../fixtures/deps-repo', import.meta.url));

/**
 * Fills `dir` with the demo repository made to need an install (test/fixtures/deps-repo): package-lock.json with a
 * devDependency from a tarball in vendor/, `npm test` = its `tiny-runner`, and no .gitignore. Offline by design.
 */
export async function writeDepsRepo(dir: string): Promise<string> {
  await cp(EXAMPLE, dir, { recursive: true });
  await rm(join(dir, '.gitignore'));
  await cp(OVERLAY, dir, { recursive: true, filter: (source) => source !== join(OVERLAY, 'README.md') });
  return dir;
}
