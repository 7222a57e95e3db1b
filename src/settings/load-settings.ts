import type { Phase } from '../core/phases.ts';
import { STATE_DIR } from '../state/artifact-store.ts';
import type { Config } from '../state/config.ts';
import { CONFIG_FILE, parseConfig } from './parse-config.ts';
import { readBundledSkill } from './read-bundled-skill.ts';
import type { SettingsSource } from './settings-source.ts';

/**
 * `.github/ipo.yml` from the default branch (`source`), through the one parser: an absent file is every default.
 * Nothing else is read: no `.github` repository of the owner (Probot's fallback), no `_extends` target.
 */
export async function loadConfig(
  source: SettingsSource,
  path: string = CONFIG_FILE,
): Promise<{ text: string; config: Config }> {
  const text = (await source.read(path)) ?? '';
  return { text, config: parseConfig(text, path) };
}

/** Where a repository overrides the bundled skill of `phase`. */
export function phaseSkillPath(phase: Phase): string {
  return `${STATE_DIR}/phase-skills/${phase}/SKILL.md`;
}

/** The repository's override of a phase skill on the default branch (`source`), else the bundled skill. */
export async function loadPhaseSkill(
  source: SettingsSource,
  phase: Phase,
): Promise<{ text: string; source: string }> {
  const override = phaseSkillPath(phase);
  const text = await source.read(override);
  if (text !== null) return { text, source: `${source.ref}:${override}` };
  return { text: await readBundledSkill(phase), source: `bundled phase-skills/${phase}/SKILL.md` };
}
