import type { Config } from '../state/config.ts';
import { bwrapArgs } from './bwrap-args.ts';
import { gitDirsOf } from './git-dirs.ts';
import { DEFAULT_BWRAP_PATH, probeBwrap } from './probe-bwrap.ts';
import { type Sandbox, SandboxRefusedError, unsandboxed } from './sandbox.ts';
import { systemMounts } from './system-mounts.ts';

/** What the composition root knows about the host: where bubblewrap is (`IPO_BWRAP_PATH`, default /usr/bin/bwrap). */
export interface SandboxHost {
  bwrapPath: string;
}

/**
 * The sandbox for untrusted commands in `workspace` (a real path). bubblewrap is used directly: Anthropic's
 * `@anthropic-ai/sandbox-runtime` needs Node >= 22 and ipo targets Node 20. Fails closed: when bwrap is missing or
 * cannot create namespaces, this throws, unless the config opts out with `sandbox.required: false`, in which case
 * commands run unsandboxed and every result says so.
 */
export async function openSandbox(
  settings: Config['sandbox'],
  host: SandboxHost,
  workspace: string,
  /** The hosts this sandbox may reach, replacing `settings.network.allow` (set-up adds its registries). */
  network: { allow: readonly string[] } = settings.network,
): Promise<Sandbox> {
  if (network.allow.length > 0) {
    // Fail closed until the allowlist is enforced: a sandbox with the network fully on, or silently off, would
    // both misstate what the commands could reach.
    throw new SandboxRefusedError(
      `these commands need the network (${network.allow.join(', ')}), and a network allowlist is not enforced ` +
        'yet: commands run with the network off. Set `sandbox.network.setup: []` in .github/ipo.yml on the ' +
        'default branch when set-up installs without the network, or `verification.setup: []` to run none',
    );
  }
  const probe = await probeBwrap(host.bwrapPath);
  if (!probe.ok) {
    if (!settings.required) return unsandboxed(probe.reason);
    throw new SandboxRefusedError(
      `untrusted commands run only inside a sandbox, and ${probe.reason}. Fix that, or set ` +
        '`sandbox: { required: false }` in .github/ipo.yml on the default branch to run them unsandboxed ' +
        "(they can then read ipo's environment, the runner's files and the network)",
    );
  }
  const layout = { system: systemMounts(), workspace, readOnly: gitDirsOf(workspace) };
  return {
    mode: 'bwrap',
    // bwrap itself gets an empty environment: its init is the command's /proc/$PPID, and must hold nothing.
    wrap: (command) => ({
      file: host.bwrapPath,
      args: bwrapArgs(layout, command),
      cwd: command.cwd,
      env: {},
    }),
  };
}

/** The host's sandbox settings from the environment: `IPO_BWRAP_PATH` names bubblewrap when it is not at the default. */
export function sandboxHostFrom(env: Readonly<Record<string, string | undefined>>): SandboxHost {
  return { bwrapPath: env.IPO_BWRAP_PATH || DEFAULT_BWRAP_PATH };
}
