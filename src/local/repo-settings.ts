import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Phase } from '../core/phases.ts';
import { showFile } from '../git/repo.ts';
import { STATE_DIR } from '../state/artifact-store.ts';
import type { Config } from '../state/config.ts';
import { parseConfig } from '../state/parse-config.ts';

export const CONFIG_PATH = '.github/ipo.yml';

/** Config text and its parsed form, read from `ref` (the default branch) so a session cannot rewrite its rules. */
export async function readRepoConfig(repo: string, ref: string): Promise<{ text: string; config: Config }> {
  const text = (await showFile(repo, ref, CONFIG_PATH)) ?? '';
  return { text, config: parseConfig(text, CONFIG_PATH) };
}

/** The repository's override of a phase skill on `ref`, else the bundled skill. */
export async function readPhaseSkill(
  repo: string,
  ref: string,
  phase: Phase,
): Promise<{ text: string; source: string }> {
  const override = `${STATE_DIR}/phase-skills/${phase}/SKILL.md`;
  const text = await showFile(repo, ref, override);
  if (text !== null) return { text, source: `${ref}:${override}` };
  return { text: await readBundledSkill(phase), source: `bundled phase-skills/${phase}/SKILL.md` };
}

/** The skill shipped with ipo, found from this module (src/local/ under tsx, dist/ in the bundled Action). */
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
