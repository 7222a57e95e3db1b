import { realpathSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AllowEntry } from '../../core/network/allow-entry.ts';
import { BRIDGE_SCRIPT, SANDBOX_BRIDGE_SCRIPT, SANDBOX_PROXY_SOCKET } from './bridge-script.ts';
import { listenProxy, type NetworkReport, type ProxyPolicy } from './network-proxy.ts';

/** A host path bound read-only into the sandbox at `dest`. */
export interface SandboxBind {
  source: string;
  dest: string;
}

/** The network of one command: what to bind into its sandbox, what to run before it, and its report. */
export interface CommandNetwork {
  binds: SandboxBind[];
  /** Runs the bridge, which then runs the command (its file and args follow). */
  prefix: string[];
  /** Once the command ended: closes its proxy and returns what it did. */
  finish(): Promise<NetworkReport>;
}

export interface SandboxNetwork {
  /** The host's private directory holding the sockets and the bridge (tests check it is gone after close). */
  readonly dir: string;
  forCommand(): Promise<CommandNetwork>;
  /** Closes proxies still open and removes the directory. */
  close(): Promise<void>;
}

/**
 * The allowlist's enforcement for one sandbox: a private directory (mode 0700, in the host's temp dir, never in the
 * workspace) holding the bridge script and, per command, a proxy on its own unix socket. One socket per command
 * makes each report that command's own, whatever runs beside it.
 */
export async function openSandboxNetwork(
  allow: readonly AllowEntry[],
  options: Omit<ProxyPolicy, 'allow'> & { nodeExecPath?: string } = {},
): Promise<SandboxNetwork> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ipo-net-'));
  await chmod(dir, 0o700);
  const bridge = path.join(dir, 'bridge.mjs');
  await writeFile(bridge, BRIDGE_SCRIPT, { mode: 0o444 });
  // The real path: systemMounts binds the install prefix of the real node, not of a symlink to it.
  const node = realpathSync(options.nodeExecPath ?? process.execPath);
  const open = new Set<CommandNetwork>();
  let count = 0;
  return {
    dir,
    async forCommand() {
      count += 1;
      const socket = path.join(dir, `proxy-${count}.sock`);
      const listener = await listenProxy(socket, { ...options, allow });
      let report: Promise<NetworkReport> | undefined;
      const command: CommandNetwork = {
        binds: [
          { source: socket, dest: SANDBOX_PROXY_SOCKET },
          { source: bridge, dest: SANDBOX_BRIDGE_SCRIPT },
        ],
        prefix: [node, SANDBOX_BRIDGE_SCRIPT],
        finish() {
          open.delete(command);
          report ??= listener.close();
          return report;
        },
      };
      open.add(command);
      return command;
    },
    async close() {
      await Promise.all([...open].map((command) => command.finish()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
