import type { Phase } from '../../core/phases.ts';
import type { ResolvedSetup } from '../../core/setup/resolve-setup.ts';
import type { Check } from '../../state/artifacts/verification.ts';

/** `set-up `npm ci` failed (exit 1)`: how a set-up failure is named in checks not run and in the phase's message. */
export function setupFailureHead(failed: Check): string {
  const how = failed.exitCode === null ? 'was killed' : `failed (exit ${failed.exitCode})`;
  return `set-up \`${failed.command}\` ${how}`;
}

/**
 * Why the phase failed and what to change: the command (on the session branch), `verification.setup` and the
 * set-up network (in .github/ipo.yml on the default branch), with the line of output that most likely says why.
 */
export function setupFailureMessage(phase: Phase, resolved: ResolvedSetup, failed: Check): string {
  const ran = phase === 'verification' ? 'no check ran' : 'the agent did not start';
  const why = lastLine(failed.outputTail);
  const network =
    resolved.hosts.length > 0 ? `it could reach ${resolved.hosts.join(', ')}` : 'it had no network';
  return (
    `${phase}: ${setupFailureHead(failed)}, so ${ran}${why ? `: ${why}` : ''}. ` +
    `Fix the command or the lockfile on the session branch, or change \`verification.setup\` in ` +
    `.github/ipo.yml on the default branch (now ${resolved.source}; a list of commands, or [] for none); ` +
    `if it needs a registry, list its host in \`sandbox.network.setup\` (${network}).`
  );
}

/** The last line of output that is not blank and not one of ipo's own notes. */
function lastLine(tail: string): string {
  const lines = tail
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('[ipo:'));
  const line = lines.at(-1) ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
