import { availableCommands } from '../../src/core/session/available-commands.ts';
import { commandPhrase } from '../../src/core/session/command-phrase.ts';
import { listPhrases } from '../../src/core/session/refusals.ts';
import { stateLabel } from '../../src/core/session/session-state.ts';
import { markerView, type StatusMarker } from '../../src/github/status-marker.ts';
import { shortDigest, shortSha, terminalSafe, truncate } from '../../src/report/format.ts';

/** What GitHub says about a run now (the marker only learns a conclusion when the app hears of it). */
export interface LiveRun {
  status: string | null;
  conclusion: string | null;
}

/** The session as the sticky marker records it, with each of its runs as the Actions API shows it now. */
export function renderStatus(
  marker: StatusMarker | null,
  live: ReadonlyMap<number, LiveRun>,
  replayTurnsLeft: number,
): string {
  const replay = `replay    ${replayTurnsLeft} scripted model turn${replayTurnsLeft === 1 ? '' : 's'} left`;
  if (!marker) return ['no session yet (no status comment on the issue)', replay].join('\n');
  const runs = (marker.runs ?? []).map((run) => {
    const now = live.get(run.runId);
    const outcome = now?.conclusion ?? now?.status ?? run.conclusion ?? 'unknown';
    return `${run.phase} #${run.attempt}  run ${run.runId}  ${outcome}`;
  });
  return [
    `session   ${marker.session} (task ${marker.taskId}, started by ${marker.startedBy})`,
    `branch    ${marker.branch} (from ${marker.baseBranch})`,
    `state     ${stateLabel(marker.state)}`,
    ...detail(marker).map((line) => `          ${line}`),
    `runs      ${runs.length === 0 ? '(none)' : runs.join('\n          ')}`,
    ...(marker.ledgerDigest ? [`ledger    ${shortDigest(marker.ledgerDigest)}`] : []),
    replay,
  ].join('\n');
}

/** The next step a person can take, and the error or reason when there is one. */
function detail(marker: StatusMarker): string[] {
  const status = marker.state;
  // What the state machine would accept now, not a hand-kept list: a failed phase can also be rolled back.
  const next = () =>
    `next: ${listPhrases(availableCommands(markerView(marker)).filter((phrase) => phrase !== 'ipo status'))}`;
  switch (status.kind) {
    case 'awaiting':
      return [
        `next: \`${commandPhrase({ name: 'proceed', phase: status.gate })}\` (approves ${shortDigest(status.approves.digest)} at ${shortSha(status.approves.head)})`,
      ];
    case 'failed':
      return [`error: ${truncate(terminalSafe(status.error).split('\n')[0] ?? '', 200)}`, next()];
    case 'blocked':
      return [`reason: ${truncate(terminalSafe(status.reason).split('\n')[0] ?? '', 200)}`, next()];
    case 'running':
      return [`attempt ${status.attempt}`];
    case 'complete':
    case 'cancelled':
      return [];
    default: {
      const never: never = status;
      return never;
    }
  }
}
