import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

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
  /** Extra environment; the base is a minimal one so hooks and prompts cannot read the parent's secrets. */
  env?: Record<string, string>;
  input?: string;
}

/** Runs `git <args>` in `cwd` (argv, never a shell) and returns stdout. */
export async function git(cwd: string, args: readonly string[], options: GitOptions = {}): Promise<string> {
  const identity = options.identity
    ? ['-c', `user.name=${options.identity.name}`, '-c', `user.email=${options.identity.email}`]
    : [];
  const argv = [...identity, ...args];
  try {
    const child = run('git', argv, {
      cwd,
      env: gitEnv(options.env),
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
 * git runs with a near-empty environment (plus what the caller passes): the parent's model key and tokens never
 * reach hooks, credential helpers or filters that a repository might configure.
 */
function gitEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', ...extra };
}
