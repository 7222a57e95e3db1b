import type { Phase } from '../core/phases.ts';
import type { Config } from '../state/config.ts';
import type { SandboxHost } from './open-sandbox.ts';
import { probeBwrap } from './probe-bwrap.ts';

/** The phases that run untrusted commands (the agent's and the checks). */
const PHASES_WITH_COMMANDS: readonly Phase[] = ['implementation', 'verification'];

/**
 * The warning for the job's log and summary when `phase` ran its commands unsandboxed (the config opted out and
 * no sandbox could run); undefined when they were sandboxed or the phase runs none. The probe is cached, so this
 * repeats the phase's own finding.
 */
export async function unsandboxedNotice(
  settings: Config['sandbox'],
  host: SandboxHost,
  phase: Phase,
): Promise<string | undefined> {
  if (settings.required || !PHASES_WITH_COMMANDS.includes(phase)) return undefined;
  const probe = await probeBwrap(host.bwrapPath);
  if (probe.ok) return undefined;
  const allowlist =
    settings.network.allow.length > 0
      ? '; sandbox.network.allow was NOT enforced (any host was reachable)'
      : '';
  return `ipo ran the ${phase} phase's commands WITHOUT a sandbox (sandbox.required is false in .github/ipo.yml): ${probe.reason}${allowlist}`;
}
