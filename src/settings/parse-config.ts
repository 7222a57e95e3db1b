import { parseDocument } from 'yaml';
import { type Config, configSchema } from '../state/config.ts';
import { ConfigError } from '../state/state-error.ts';
import { validate } from '../state/validate.ts';
import { refuseInheritedSettings } from './refuse-inherited-settings.ts';

export const CONFIG_FILE = '.github/ipo.yml';

/** The first line of a yaml error without the position the `yaml` package appends (we print our own). */
function reasonOf(error: Error): string {
  return (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * Parses `.github/ipo.yml` text: YAML, then the `_extends` rule, then the strict config schema. An empty file yields
 * every default. The one parser of the config for app, job and CLI, so one text means one decision everywhere.
 */
export function parseConfig(text: string, file = CONFIG_FILE): Config {
  const doc = parseDocument(text);
  const [error] = doc.errors;
  if (error) {
    const [line, col] = error.linePos?.[0] ? [error.linePos[0].line, error.linePos[0].col] : [];
    const at = line === undefined ? '' : `line ${line}, column ${col}: `;
    throw new ConfigError({
      code: 'invalid-yaml',
      file,
      expected: 'valid YAML',
      message: `${file}: not valid YAML (${at}${reasonOf(error)})`,
      cause: error,
    });
  }
  const value: unknown = doc.toJS() ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    const got = Array.isArray(value) ? 'a list' : `${typeof value} ${JSON.stringify(value)}`;
    throw new ConfigError({
      code: 'invalid',
      file,
      expected: 'a mapping of settings',
      message: `${file}: expected a mapping of settings at the top level, got ${got}`,
    });
  }
  refuseInheritedSettings(value as Record<string, unknown>, file);
  return validate(configSchema, value, file, (init) => new ConfigError(init));
}
