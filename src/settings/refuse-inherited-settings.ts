import { ConfigError } from '../state/state-error.ts';

/**
 * Keys that make Probot's config plugin read settings from another place. `_extends: owner/repo[:path]` merges a
 * file of another repository (any owner) under this one; ipo reads one file of this repository only.
 */
const INHERITING_KEYS = ['_extends'] as const;

/**
 * The one `_extends` rule: refused, whatever it names (another owner, the same owner, this repository). A settings
 * file elsewhere is written by people who need no access to this repository, is read by no job, and could change
 * who may approve here without a commit on this default branch; inlining the settings keeps one file, one ref.
 */
export function refuseInheritedSettings(value: Readonly<Record<string, unknown>>, file: string): void {
  for (const key of INHERITING_KEYS) {
    if (!Object.hasOwn(value, key)) continue;
    const named = typeof value[key] === 'string' ? ` (it names ${JSON.stringify(value[key])})` : '';
    throw new ConfigError({
      code: 'invalid',
      file,
      path: key,
      expected: 'no inherited settings',
      message:
        `${file}: ${key}: ipo does not read settings from another repository${named}: copy the settings you ` +
        `need into ${file} on the default branch and remove \`${key}\``,
    });
  }
}
