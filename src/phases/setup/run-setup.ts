import { lstat, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Phase } from '../../core/phases.ts';
import {
  isInstallDir,
  PYTHON_VENV,
  type RootListing,
  SETUP_HEAD_BYTES,
} from '../../core/setup/detect-setup.ts';
import { resolveSetup } from '../../core/setup/resolve-setup.ts';
import { untrackedPaths } from '../../git/commits.ts';
import { usingSandbox } from '../../sandbox/sandbox.ts';
import type { Setup } from '../../state/artifacts/verification.ts';
import { openPhaseSandbox } from '../open-phase-sandbox.ts';
import type { PhaseContext } from '../phase-context.ts';
import { runChecks } from '../verification/run-checks.ts';
import { setupFailureMessage } from './setup-failure-message.ts';

export type SetupContext = Pick<
  PhaseContext,
  'workspace' | 'config' | 'sandboxHost' | 'commandEnv' | 'redact' | 'sandboxUse'
>;

export type SetupRun =
  | {
      ok: true;
      setup: Setup;
      /** The environment of every later command: `commandEnv`, with the `.venv` set-up made active. */
      env: Record<string, string>;
    }
  | { ok: false; setup: Setup; message: string };

/**
 * Runs the set-up (`verification.setup`) in its own sandbox, whose network is `sandbox.network.allow` plus the
 * set-up hosts; every other command of the phase keeps `allow` alone. Before the agent starts and before the checks,
 * so both find the dependencies installed. A failure is the environment's, not the change's: the caller fails the
 * phase with the message, running nothing else.
 */
export async function runSetup(ctx: SetupContext, phase: Phase): Promise<SetupRun> {
  const settings = {
    setup: ctx.config.verification.setup,
    allow: ctx.config.sandbox.network.allow,
    setupHosts: ctx.config.sandbox.network.setup,
  };
  const resolved = resolveSetup(settings, await rootListing(ctx.workspace));
  const record = (commands: Setup['commands'] = [], untracked: string[] = []): Setup => ({
    source: resolved.source,
    commands,
    network: resolved.hosts,
    untracked,
  });
  if (resolved.commands.length === 0) return { ok: true, setup: record(), env: ctx.commandEnv };

  const sandbox = await openPhaseSandbox(ctx, phase, { allow: resolved.hosts });
  if (!sandbox.ok) {
    return { ok: false, setup: record(), message: `${phase} set-up ${sandbox.message.replace(/^\w+ /, '')}` };
  }
  const before = new Set(await untrackedPaths(ctx.workspace));
  // Set-up's own sandbox (with the registry hosts) closes with its commands: the agent and checks get another.
  const commands = await usingSandbox(sandbox.sandbox, (setupSandbox) =>
    runChecks({
      commands: resolved.commands,
      cwd: ctx.workspace,
      env: ctx.commandEnv,
      sandbox: setupSandbox,
      timeoutMs: ctx.config.verification.timeoutSeconds * 1000,
      redact: ctx.redact,
      role: 'setup',
    }),
  );
  const untracked = (await untrackedPaths(ctx.workspace)).filter(
    (path) => !before.has(path) || isInstallDir(path),
  );
  const setup = record(commands, untracked);
  const failed = commands.find((c) => c.kind !== 'passed');
  if (failed) return { ok: false, setup, message: setupFailureMessage(phase, resolved, failed) };
  return { ok: true, setup, env: await activateVenv(ctx.workspace, ctx.commandEnv) };
}

/** The root's names and the head of `yarn.lock`: all `auto` reads (a symlinked yarn.lock is not followed). */
async function rootListing(workspace: string): Promise<RootListing> {
  const names = await readdir(workspace);
  if (!names.includes('yarn.lock')) return { names };
  const path = join(workspace, 'yarn.lock');
  if (!(await lstat(path)).isFile()) return { names };
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SETUP_HEAD_BYTES);
    const { bytesRead } = await file.read(buffer, 0, SETUP_HEAD_BYTES, 0);
    return { names, yarnLockHead: buffer.subarray(0, bytesRead).toString('utf8') };
  } finally {
    await file.close();
  }
}

/**
 * When set-up left a virtual environment at `.venv`, later commands run as if it were activated (`VIRTUAL_ENV`,
 * its `bin` first on PATH): HOME and the system site-packages are no place to install in the sandbox, so this is
 * how `pytest` of the checks finds what `pip install` put there.
 */
async function activateVenv(workspace: string, env: Record<string, string>): Promise<Record<string, string>> {
  const venv = join(workspace, PYTHON_VENV);
  const bin = await lstat(join(venv, 'bin')).catch(() => null);
  if (!bin?.isDirectory()) return env;
  return { ...env, VIRTUAL_ENV: venv, PATH: env.PATH ? `${venv}/bin:${env.PATH}` : `${venv}/bin` };
}
