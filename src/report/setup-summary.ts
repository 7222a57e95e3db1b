import type { Setup } from '../state/artifacts/verification.ts';
import { formatDuration } from './format.ts';

/**
 * One plain line of what set-up ran: `npm ci --no-audit --no-fund passed in 1.2 s (auto: package-lock.json; network:
 * none; kept out of commits: node_modules/)`. Nothing when there was no set-up record or no command ran.
 */
export function setupSummary(setup: Setup | undefined): string | undefined {
  if (!setup || setup.commands.length === 0) return undefined;
  const commands = setup.commands.map((c) => `${c.command} ${outcome(c)} in ${formatDuration(c.durationMs)}`);
  const facts = [
    setup.source,
    `network: ${setup.network.length > 0 ? setup.network.join(', ') : 'none'}`,
    ...(setup.untracked.length > 0 ? [`kept out of commits: ${setup.untracked.join(', ')}`] : []),
  ];
  return `${commands.join(', ')} (${facts.join('; ')})`;
}

function outcome(check: Setup['commands'][number]): string {
  if (check.kind === 'passed') return 'passed';
  return check.exitCode === null ? 'was killed' : `failed (exit ${check.exitCode})`;
}
