import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const EXAMPLE = fileURLToPath(new URL('../../examples/demo-repo', import.meta.url));
const CALLER = fileURLToPath(new URL('../../examples/workflows/ipo.yml', import.meta.url));

/**
 * Fills `seed` with what a user's repository holds: examples/demo-repo (with its `.github/ipo.yml`) and the phase
 * caller workflow at `.github/workflows/ipo.yml`. The local GitHub commits it as `main`.
 */
export async function writeExampleSeed(
  seed: string,
  /** Writes the repository's own files (default: a copy of examples/demo-repo). */
  writeRepo: (dir: string) => Promise<unknown> = (dir) => cp(EXAMPLE, dir, { recursive: true }),
): Promise<string> {
  await writeRepo(seed);
  await mkdir(join(seed, '.github', 'workflows'), { recursive: true });
  await cp(CALLER, join(seed, '.github', 'workflows', 'ipo.yml'));
  return seed;
}
