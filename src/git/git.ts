import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type ConfigEntry, configEnv, driverOverrides, FIXED_OVERRIDES } from './untrusted-config.ts';

const run = promisify(execFile);

/** A git command failed; the message carries git's own stderr. */
export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
    readonly exitCode: number | null,
  ) {
    super(
      `git ${args.join(' ')} failed${exitCode === null ? '' : ` (exit ${exitCode})`}: ${stderr.trim() || 'no output'}`,
    );
    this.name = 'GitError';
  }
}

/** Who commits: set per call so nothing depends on the machine's global git config. */
export interface GitIdentity {
  name: string;
  email: string;
}

export const IPO_IDENTITY: GitIdentity = {
  name: 'isolated-phase-orchestrator',
  email: 'ipo@users.noreply.localhost',
};

export interface GitOptions {
  identity?: GitIdentity;
  /**
   * Config for this call at command-line scope, passed in git's environment rather than its argv: a secret here (the
   * push token's header) is not in `/proc/<pid>/cmdline`, which every process on the machine can read.
   */
  config?: readonly ConfigEntry[];
  /** Extra environment (an index file, author dates); never a way around the settings above. */
  env?: Record<string, string>;
  input?: string;
}

/**
 * Runs `git <args>` in `cwd` (argv, never a shell) and returns stdout. Whatever the repository's config and hooks
 * say (the agent could have written them), git runs no hook, filter, fsmonitor, credential helper, pager, editor,
 * signing program or non-http transport: see `untrusted-config.ts`.
 */
export async function git(cwd: string, args: readonly string[], options: GitOptions = {}): Promise<string> {
  const identity: ConfigEntry[] = options.identity
    ? [
        ['user.name', options.identity.name],
        ['user.email', options.identity.email],
      ]
    : [];
  const base = gitEnv();
  const config = [
    ...FIXED_OVERRIDES,
    ...(await driverOverrides(cwd, args, { ...base, ...configEnv(FIXED_OVERRIDES) })),
    ...identity,
    ...(options.config ?? []),
  ];
  try {
    const child = run('git', args, {
      cwd,
      env: { ...base, ...options.env, ...configEnv(config) },
      maxBuffer: 64 * 1024 * 1024,
      encoding: 'utf8',
    });
    if (options.input !== undefined) child.child.stdin?.end(options.input);
    const { stdout } = await child;
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; code?: number | string; message?: string };
    const exitCode = typeof e.code === 'number' ? e.code : null;
    throw new GitError(args, e.stderr ?? e.message ?? String(error), exitCode);
  }
}

/** Like `git` but returns false instead of throwing when the command exits non-zero. */
export async function gitOk(
  cwd: string,
  args: readonly string[],
  options: GitOptions = {},
): Promise<boolean> {
  try {
    await git(cwd, args, options);
    return true;
  } catch (error) {
    if (error instanceof GitError) return false;
    throw error;
  }
}

/**
 * git runs with a near-empty environment: the parent's model key and tokens never reach anything git starts. No
 * system or global config is read (`GIT_CONFIG_GLOBAL=/dev/null` needs git 2.32): without a sandbox the agent's
 * commands can write `~/.gitconfig` as well as `.git/config`, and nothing ipo needs lives there (identity is passed
 * per call). No system attributes file either; no terminal prompt for credentials.
 */
function gitEnv(): Record<string, string> {
  return {
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_ATTR_NOSYSTEM: '1',
  };
}
