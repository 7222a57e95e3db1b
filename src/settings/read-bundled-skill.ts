import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Phase } from '../core/phases.ts';

/** The skill shipped with ipo, found from this module (src/settings/ under tsx, dist/ in the bundled Action). */
export async function readBundledSkill(phase: Phase): Promise<string> {
  const candidates = ['../../phase-skills', '../phase-skills'].map((dir) =>
    fileURLToPath(new URL(`${dir}/${phase}/SKILL.md`, import.meta.url)),
  );
  for (const file of candidates) {
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text !== null) return text;
  }
  throw new Error(`the bundled ${phase} skill is missing (looked in ${candidates.join(', ')})`);
}
