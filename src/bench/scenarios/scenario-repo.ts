import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { git } from '../../git/git.ts';

const IDENTITY = { name: 'Bench Maintainer', email: 'maintainer@example.com' };
const CONFIG_PATH = '.github/ipo.yml';
/** Not copied: the copy gets its own history, and dependencies are not part of a scenario. */
const SKIPPED = new Set(['.git', 'node_modules']);

/**
 * Copies `source` to `target` (without its .git and node_modules), writes `files` over it, merges `config` into its
 * `.github/ipo.yml`, and commits the result on `main` with a repository-local identity.
 */
export async function prepareScenarioRepo(
  source: string,
  target: string,
  overlay: {
    files?: Record<string, string>;
    config?: Record<string, unknown>;
    message?: string;
    identity?: { name: string; email: string };
  } = {},
): Promise<void> {
  const identity = overlay.identity ?? IDENTITY;
  await cp(source, target, { recursive: true, filter: (path) => !SKIPPED.has(basename(path)) });
  for (const [path, content] of Object.entries(overlay.files ?? {})) {
    await mkdir(dirname(join(target, path)), { recursive: true });
    await writeFile(join(target, path), content);
  }
  if (overlay.config && Object.keys(overlay.config).length > 0) {
    const file = join(target, CONFIG_PATH);
    const current = await readFile(file, 'utf8').then(
      (text) => (parseYaml(text) ?? {}) as Record<string, unknown>,
      () => ({}),
    );
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, stringifyYaml(deepMerge(current, overlay.config)));
  }
  await git(target, ['init', '--quiet', '--initial-branch=main']);
  await git(target, ['config', 'user.name', identity.name]);
  await git(target, ['config', 'user.email', identity.email]);
  await git(target, ['add', '--all']);
  await git(target, ['commit', '--quiet', '-m', overlay.message ?? 'scenario base'], { identity });
}

/** `override` over `base`, recursing into plain objects (a variant sets one phase key, the scenario another). */
export function deepMerge(
  base: Record<string, unknown>,
  override: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const prior = out[key];
    out[key] = isPlainObject(prior) && isPlainObject(value) ? deepMerge(prior, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
