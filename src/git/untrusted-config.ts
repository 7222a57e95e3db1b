import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One `name=value` config entry, handed to git through `GIT_CONFIG_KEY_<n>`/`GIT_CONFIG_VALUE_<n>`. */
export type ConfigEntry = readonly [key: string, value: string];

/**
 * Settings that make git run a program, or send what it holds somewhere else, which a repository's own config
 * (`.git/config`, `config.worktree`, and whatever they `include`) could set. The agent and the code it writes can
 * edit those files, so ipo's git calls override every one of them at command-line scope, which wins over any file
 * (git-config(1), "CONFIGURATION FILE" precedence). System and global config are not read at all (see `gitEnv`).
 */
export const FIXED_OVERRIDES: readonly ConfigEntry[] = [
  // Hooks (pre-commit, post-checkout, pre-push, reference-transaction…): none exist under /dev/null.
  ['core.hooksPath', '/dev/null'],
  // fsmonitor may name a hook program run by status/add/diff.
  ['core.fsmonitor', 'false'],
  // An empty value resets the list of helpers gathered so far (URL-scoped ones included): none is asked.
  ['credential.helper', ''],
  ['core.askPass', ''],
  // ssh (core.sshCommand, GIT_SSH), git:// (core.gitProxy) and ext:: all run programs; ipo speaks only http(s) and
  // local paths, so every other transport is refused and their settings never matter.
  ['protocol.allow', 'never'],
  ['protocol.https.allow', 'always'],
  ['protocol.http.allow', 'always'],
  ['protocol.file.allow', 'always'],
  ['core.pager', 'cat'],
  // ipo always passes its message with `--file`; should git still want an editor, it gets one that fails.
  ['core.editor', 'false'],
  ['sequence.editor', 'false'],
  // Signing and signature display run gpg.program (or its ssh/x509 siblings).
  ['commit.gpgSign', 'false'],
  ['tag.gpgSign', 'false'],
  ['push.gpgSign', 'false'],
  ['log.showSignature', 'false'],
  ['gpg.program', 'false'],
  ['gpg.ssh.program', 'false'],
  ['gpg.x509.program', 'false'],
];

/**
 * Subcommands (as ipo calls them) that run no filter, hook or external program whatever the config says, so they
 * need no look at the repository's driver names first. `hash-object` is not here: it runs clean filters.
 */
const CONFIG_INERT = new Set([
  'rev-parse',
  'rev-list',
  'merge-base',
  'show-ref',
  'config',
  'cat-file',
  'ls-tree',
  'symbolic-ref',
  'update-ref',
  'for-each-ref',
  'init',
]);

/**
 * Filter drivers are named by `.gitattributes` (in the tree, so the agent's) and defined by `filter.<name>.clean`,
 * `.smudge` or `.process` in the config: `git add` runs the clean command, checkout and `reset --hard` the smudge
 * one. No switch turns filters off for porcelain commands, and the names are the repository's own, so they are read
 * (includes followed, as the real call would) and each driver is emptied, with `required` off so an emptied
 * required driver passes content through instead of failing the commit.
 *
 * What this cannot close: a process still running that defines a new driver between this read and the call. Untrusted
 * commands are over (and, under the sandbox, their process trees killed) before ipo's own git calls run.
 */
export async function driverOverrides(
  cwd: string,
  args: readonly string[],
  env: Record<string, string>,
): Promise<ConfigEntry[]> {
  if (CONFIG_INERT.has(subcommand(args) ?? '')) return [];
  let names: string;
  try {
    ({ stdout: names } = await run('git', ['config', '-z', '--list', '--name-only'], {
      cwd,
      env,
      encoding: 'utf8',
      // An `include.path` naming a FIFO would otherwise hang the phase.
      timeout: 10_000,
      maxBuffer: 16 * 1024 * 1024,
    }));
  } catch {
    // Not a repository yet (clone, init elsewhere): there is no repository config to neutralise.
    return [];
  }
  const drivers = new Set<string>();
  for (const name of names.split('\0')) {
    // Section and variable names are case-insensitive (git prints them lower-cased); the driver name is not.
    const match = /^filter\.(.+)\.(clean|smudge|process|required)$/s.exec(name);
    if (match?.[1] !== undefined) drivers.add(match[1]);
  }
  return [...drivers].flatMap((driver): ConfigEntry[] => [
    [`filter.${driver}.clean`, ''],
    [`filter.${driver}.smudge`, ''],
    [`filter.${driver}.process`, ''],
    [`filter.${driver}.required`, 'false'],
  ]);
}

/** The subcommand in `args`, past any leading global options (`-c k=v`, `-C dir`, `--no-pager`). */
function subcommand(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '-c' || arg === '-C') i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

/** `GIT_CONFIG_COUNT`/`KEY_n`/`VALUE_n`: command-line scope like `-c`, but out of argv (which `/proc` shows anyone). */
export function configEnv(entries: readonly ConfigEntry[]): Record<string, string> {
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(entries.length) };
  entries.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}
