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
  /** The invocation that runs `command` inside the sandbox; throws `SandboxRefusedError` when it may not run. */
  wrap(command: CommandSpec): CommandSpec;
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
  wrap() {
    throw new SandboxRefusedError(
      'this workspace has no command sandbox, so commands are refused (a phase that runs commands opens one with openSandbox)',
    );
  },
};

/** The config's opt-out (`sandbox.required: false`) after the probe failed: commands run as ipo's user. */
export function unsandboxed(reason: string): Sandbox {
  return {
    mode: 'unsandboxed',
    reason,
    warning: `ipo: this command ran WITHOUT a sandbox (sandbox.required is false and ${reason}); it could read ipo's environment, the home directory and the network`,
    wrap: (command) => command,
  };
}
