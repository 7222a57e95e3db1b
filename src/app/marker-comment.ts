import { GATED_PHASES, PHASES, proceedPhrase } from '../core/phases.ts';
import { availableCommands } from '../core/session/available-commands.ts';
import { stateLabel } from '../core/session/session-state.ts';
import { codeSpan } from '../github/markdown.ts';
import { markerView, renderStatusMarker, type StatusMarker } from '../github/status-marker.ts';

/**
 * The status comment the app writes between jobs (it has the marker, not the ledger); the next job replaces it with
 * the full table of figures.
 */
export function renderMarkerComment(marker: StatusMarker, runUrl: (runId: number) => string): string {
  const rows = PHASES.map((phase) => {
    const runs = (marker.runs ?? []).filter((r) => r.phase === phase);
    const links = runs
      .map((r) => `[#${r.attempt}](${runUrl(r.runId)})${r.conclusion ? ` ${r.conclusion}` : ''}`)
      .join(', ');
    return `| ${phase} | ${marker.attempts[phase] || '–'} | ${links || '–'} |`;
  });
  const next = availableCommands(markerView(marker)).filter((p) => p !== 'ipo status');
  const gate = marker.state.kind === 'awaiting' ? marker.state.gate : null;
  return [
    `### ipo session \`${marker.session}\` — ${stateLabel(marker.state)}`,
    '',
    `Task ${marker.taskId} · branch \`${marker.branch}\` · started by @${marker.startedBy}`,
    '',
    '| phase | attempts | runs |',
    '|---|---|---|',
    ...rows,
    '',
    gate && (GATED_PHASES as readonly string[]).includes(gate)
      ? `To continue, comment ${codeSpan(proceedPhrase(gate))}.`
      : next.length > 0
        ? `You can say: ${next.map(codeSpan).join(' · ')}`
        : '',
    '',
    renderStatusMarker(marker),
  ].join('\n');
}
