import { parseAllowEntry } from '../core/network/allow-entry.ts';
import type { Config } from '../state/config.ts';
import { bwrapArgs } from './bwrap-args.ts';
import { gitDirsOf } from './git-dirs.ts';
import { openSandboxNetwork } from './network/sandbox-network.ts';
import { DEFAULT_BWRAP_PATH, probeBwrap } from './probe-bwrap.ts';
import { asIs, type Sandbox, SandboxRefusedError, unsandboxed } from './sandbox.ts';
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
 * `network`, when given, replaces `settings.network.allow` for this sandbox (a set-up step adds its registry).
 * With a non-empty allowlist each command gets its own proxy (see `network/`); the caller must `close()` the
 * sandbox when its commands are done.
 */
export async function openSandbox(
  settings: Config['sandbox'],
  host: SandboxHost,
  workspace: string,
  network?: { allow: readonly string[] },
): Promise<Sandbox> {
  const allowText = [...(network ?? settings.network).allow];
  const allow = allowText.map((entry) => {
    try {
      return parseAllowEntry(entry);
    } catch (error) {
      throw new SandboxRefusedError(`sandbox.network.allow: ${(error as Error).message}`);
    }
  });
  const probe = await probeBwrap(host.bwrapPath);
  if (!probe.ok) {
    if (!settings.required) return unsandboxed(probe.reason, allowText);
    throw new SandboxRefusedError(
      `untrusted commands run only inside a sandbox, and ${probe.reason}. Fix that, or set ` +
        '`sandbox: { required: false }` in .github/ipo.yml on the default branch to run them unsandboxed ' +
        "(they can then read ipo's environment, the runner's files and the network)",
    );
  }
  const layout = { system: systemMounts(), workspace, readOnly: gitDirsOf(workspace) };
  // bwrap itself gets an empty environment: its init is the command's /proc/$PPID, and must hold nothing.
  const bwrap = (args: string[]) => ({ file: host.bwrapPath, args, cwd: workspace, env: {} });
  if (allow.length === 0) {
    return {
      mode: 'bwrap',
      networkAllow: [],
      wrap: async (command) => asIs({ ...bwrap(bwrapArgs(layout, command)), cwd: command.cwd }),
      close: async () => {},
    };
  }
  const net = await openSandboxNetwork(allow);
  return {
    mode: 'bwrap',
    networkAllow: allowText,
    async wrap(command) {
      const commandNet = await net.forCommand();
      const bridged = {
        ...command,
        file: commandNet.prefix[0] ?? '',
        args: [...commandNet.prefix.slice(1), command.file, ...command.args],
      };
      const args = bwrapArgs({ ...layout, binds: commandNet.binds }, bridged);
      return { ...bwrap(args), cwd: command.cwd, finish: () => commandNet.finish() };
    },
    close: () => net.close(),
  };
}

/** The host's sandbox settings from the environment: `IPO_BWRAP_PATH` names bubblewrap when it is not at the default. */
export function sandboxHostFrom(env: Readonly<Record<string, string | undefined>>): SandboxHost {
  return { bwrapPath: env.IPO_BWRAP_PATH || DEFAULT_BWRAP_PATH };
}
