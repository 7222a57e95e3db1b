import type { NetworkReport } from './network/network-proxy.ts';

/** A program to run: what `runProcess` spawns, before or after a sandbox wrapped it. */
export interface CommandSpec {
  file: string;
  args: readonly string[];
  cwd: string;
  env: Readonly<Record<string, string>>;
}

/**
 * How untrusted commands run. Every `runProcess` call takes one, so there is no way to spawn repository or model
 * code that skips this decision: `bwrap` isolates, `unsandboxed` is the config's explicit opt-out, `refusing` is
 * a workspace that was given no sandbox at all.
 */
export interface Sandbox {
  readonly mode: 'bwrap' | 'unsandboxed' | 'refusing';
  /** One line the model and the reader see beside every result when commands are not isolated. */
  readonly warning?: string;
  /** `unsandboxed` only: why no sandbox could run (the probe's finding), for the run's record in the ledger. */
  readonly reason?: string;
  /** The hosts commands may reach through ipo's proxy (empty: the network is off). Not enforced when unsandboxed. */
  readonly networkAllow: readonly string[];
  /** The invocation that runs `command` inside the sandbox; rejects with `SandboxRefusedError` when it may not run. */
  wrap(command: CommandSpec): Promise<SandboxedCommand>;
  /** Stops what the sandbox runs beside its commands (the network proxy) and removes its files. */
  close(): Promise<void>;
}

/** A wrapped command, with what the sandbox saw of it. */
export interface SandboxedCommand extends CommandSpec {
  /** Called once the command has ended (or failed to start): its network report, when it had a proxy. */
  finish(): Promise<NetworkReport | undefined>;
}

/** A command that runs as given, with nothing to report. */
export function asIs(command: CommandSpec): SandboxedCommand {
  return { ...command, finish: async () => undefined };
}

/** Thrown instead of running a command; the message says what to install or which config key to set. */
export class SandboxRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxRefusedError';
  }
}

/** The sandbox of a workspace built without one (alignment, read-only tools): commands are refused. */
export const REFUSING_SANDBOX: Sandbox = {
  mode: 'refusing',
  networkAllow: [],
  async wrap() {
    throw new SandboxRefusedError(
      'this workspace has no command sandbox, so commands are refused (a phase that runs commands opens one with openSandbox)',
    );
  },
  close: async () => {},
};

/** The config's opt-out (`sandbox.required: false`) after the probe failed: commands run as ipo's user. */
export function unsandboxed(reason: string, networkAllow: readonly string[] = []): Sandbox {
  // Without the sandbox's network namespace nothing forces a command through the proxy: an allowlist would be a lie.
  const allowlist =
    networkAllow.length > 0
      ? '; sandbox.network.allow is NOT enforced without the sandbox (any host is reachable)'
      : '';
  return {
    mode: 'unsandboxed',
    reason,
    warning: `ipo: this command ran WITHOUT a sandbox (sandbox.required is false and ${reason}); it could read ipo's environment, the home directory and the network${allowlist}`,
    networkAllow,
    wrap: async (command) => asIs(command),
    close: async () => {},
  };
}

/** Runs `use` with `sandbox`, then closes it (its proxy stopped, its files removed) whatever happened. */
export async function usingSandbox<T>(sandbox: Sandbox, use: (sandbox: Sandbox) => Promise<T>): Promise<T> {
  try {
    return await use(sandbox);
  } finally {
    await sandbox.close();
  }
}
