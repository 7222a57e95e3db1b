import { ConfigError } from '../state/state-error.ts';

/**
 * Where ipo's settings are read from: one repository at one ref, its default branch. The app reads through the
 * contents API, the job and the CLI through git; everything above this port is the same code.
 */
export interface SettingsSource {
  /** The ref read, as messages and a skill's `source` name it (`main`, `refs/remotes/origin/main`). */
  readonly ref: string;
  /** The text of the file at `path` on `ref`; null when no file is there. Throws when `path` is not a file. */
  read(path: string): Promise<string | null>;
}

/** `path` exists on the default branch but is a directory, link or submodule: it is not read as settings. */
export function notAFile(path: string, ref: string, what: string): ConfigError {
  return new ConfigError({
    code: 'unreadable',
    file: path,
    expected: 'a file',
    message: `${path} on ${ref} is ${what}, not a file: commit the settings as a plain file at ${path}`,
  });
}
