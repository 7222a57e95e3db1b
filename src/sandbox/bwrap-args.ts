import type { SandboxBind } from './network/sandbox-network.ts';
import type { CommandSpec } from './sandbox.ts';
import type { SystemMount } from './system-mounts.ts';

/** The sandbox's own home and temp: empty tmpfs, so `~/.ssh`, `~/.npmrc`, `~/.config/gh` and cloud creds are absent. */
export const SANDBOX_HOME = '/home/sandbox';
export const SANDBOX_TMP = '/tmp';

export interface BwrapLayout {
  system: readonly SystemMount[];
  /** Real path of the workspace: the only host directory mounted read-write (none for the probe). */
  workspace?: string;
  /** Host directories mounted read-only after the workspace (its git directories). */
  readOnly: readonly string[];
  /** Files bound read-only at their own place in the sandbox: the network proxy's socket and bridge. */
  binds?: readonly SandboxBind[];
}

/**
 * bwrap's arguments for `command`. Nothing of the host is mounted but `layout` (no `--ro-bind / /`: that would show
 * the real home and the phase's state, input and output dirs). `--unshare-all` gives new user, pid, net, ipc, uts
 * and cgroup namespaces: `/proc` shows only the sandbox, so `/proc/$PPID/environ` is bwrap's init, never ipo; the
 * network is off. `--die-with-parent` plus the pid namespace kill every process of the command (a `setsid` sleeper
 * too) when the command's main process ends or ipo kills bwrap on a timeout. `--new-session` stops TIOCSTI.
 * `--clearenv` then `--setenv`: the command sees exactly `command.env`, with HOME and the temp dirs pointed inside.
 * With an allowlist the network namespace stays: the only way out is the proxy's socket in `layout.binds`.
 */
export function bwrapArgs(layout: BwrapLayout, command: CommandSpec): string[] {
  const args = ['--unshare-all', '--die-with-parent', '--new-session', '--clearenv'];
  for (const mount of layout.system) {
    if (mount.kind === 'symlink') args.push('--symlink', mount.target, mount.path);
    else args.push('--ro-bind', mount.path, mount.path);
  }
  args.push(
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--tmpfs',
    SANDBOX_TMP,
    '--tmpfs',
    '/home',
    '--dir',
    SANDBOX_HOME,
  );
  // After the tmpfs mounts, so a workspace under /tmp or /home is mounted on top of them, not hidden by them.
  if (layout.workspace) args.push('--bind', layout.workspace, layout.workspace);
  for (const dir of layout.readOnly) args.push('--ro-bind', dir, dir);
  // A socket bound read-only still accepts connections (connect(2) needs no write to the mount).
  for (const bind of layout.binds ?? []) args.push('--ro-bind', bind.source, bind.dest);
  const env = {
    ...command.env,
    HOME: SANDBOX_HOME,
    TMPDIR: SANDBOX_TMP,
    TMP: SANDBOX_TMP,
    TEMP: SANDBOX_TMP,
    // npm's update check would wait on a registry it cannot reach from here (no network, an empty HOME with no
    // cached answer): measured at ~0.5-0.8 s on every `npm test`, the bulk of the sandbox's cost per command.
    npm_config_update_notifier: 'false',
  };
  for (const [name, value] of Object.entries(env)) args.push('--setenv', name, value);
  args.push('--chdir', command.cwd, '--', command.file, ...command.args);
  return args;
}
