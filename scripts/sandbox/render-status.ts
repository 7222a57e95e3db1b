import type { StatusMarker } from '../../src/github/status-marker.ts';
import { shortDigest } from '../../src/report/format.ts';
import { renderStatusText } from '../../src/report/render-status.ts';
import { markerStatusReport } from '../../src/report/status-report.ts';

/** What GitHub says about a run now (the marker only learns a conclusion when the app hears of it). */
export interface LiveRun {
  status: string | null;
  conclusion: string | null;
}

const LABEL_WIDTH = 10;

/**
 * The session as the sticky marker records it — the one status report, rendered as the CLI renders it, with the
 * phrases to comment as next steps — then each of its runs as the Actions API shows it now.
 */
export function renderStatus(
  marker: StatusMarker | null,
  live: ReadonlyMap<number, LiveRun>,
  replayTurnsLeft: number,
): string {
  const replay = field(
    'replay',
    `${replayTurnsLeft} scripted model turn${replayTurnsLeft === 1 ? '' : 's'} left`,
  );
  if (!marker) return ['no session yet (no status comment on the issue)', replay].join('\n');
  const runs = (marker.runs ?? []).map((run) => {
    const now = live.get(run.runId);
    const outcome = now?.conclusion ?? now?.status ?? run.conclusion ?? 'unknown';
    return `${run.phase} #${run.attempt}  run ${run.runId}  ${outcome}`;
  });
  return [
    renderStatusText(markerStatusReport(marker), { color: false, commands: 'phrases' }),
    '',
    field('runs', runs.length === 0 ? '(none)' : runs.join(`\n${' '.repeat(LABEL_WIDTH)}`)),
    ...(marker.ledgerDigest ? [field('ledger', shortDigest(marker.ledgerDigest))] : []),
    replay,
  ].join('\n');
}

function field(label: string, value: string): string {
  return `${label.padEnd(LABEL_WIDTH)}${value}`;
}
