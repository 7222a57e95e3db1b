import { shortDigest, shortSha, truncate } from '../cli/render/format.ts';
import { nextCommands } from '../cli/render/next-commands.ts';
import { phaseFigures, totalFigures } from '../cli/render/phase-figures.ts';
import type { PhaseFigures } from '../cli/render/status-json-schema.ts';
import { type Phase, proceedPhrase } from '../core/phases.ts';
import { stateLabel } from '../core/session/session-state.ts';
import type { Ledger, Run } from '../state/ledger.ts';
import { codeSpan, excerptBlock, inline, table } from './markdown.ts';
import { compactFigureCells, phaseStateCell, statusIcon } from './phase-cells.ts';
import { renderStatusMarker, type StatusMarker } from './status-marker.ts';

export interface StatusCommentInput {
  ledger: Ledger;
  /** The marker the comment ends with; it must name the ledger's session. */
  marker: StatusMarker;
  /** The web URL of a workflow run (e.g. `${serverUrl}/${owner}/${repo}/actions/runs/${id}`); ids show bare without it. */
  runUrl?: (runId: number) => string;
  /** The workflow artifact holding a run's state (`ipo-<session>-<phase>-<attempt>`), named under the table. */
  artifactName?: (phase: Phase, attempt: number) => string;
  /** The clock a running phase's elapsed time is measured to. */
  now?: Date;
}

const TITLE_WIDTH = 100;

/**
 * The sticky status comment: the session and its state, a table of the four phases with links to their runs, what
 * to comment next (the exact gate phrase, or retry / rollback / cancel), why a phase failed or blocked, and the
 * hidden marker as the last line.
 */
export function renderStatusComment(input: StatusCommentInput): string {
  const { ledger, marker } = input;
  if (marker.session !== ledger.session) {
    throw new Error(`status marker names session ${marker.session}, the ledger is ${ledger.session}`);
  }
  const rows = phaseFigures(ledger, input.now);
  const title = truncate(ledger.task.title, TITLE_WIDTH);
  return [
    `### ${statusIcon(ledger.status)} ipo ${codeSpan(ledger.session)} · ${codeSpan(stateLabel(ledger.status))}`,
    '',
    `Task **${inline(ledger.taskId)}** · ${inline(title)} · branch ${codeSpan(ledger.branch)} from ` +
      `${codeSpan(ledger.baseBranch)} · started by ${inline(ledger.startedBy)}`,
    '',
    ...table(
      ['phase', 'state', 'attempt', 'duration', 'tokens in / out', 'cost', 'runs'],
      [
        ...rows.map((row) => [
          row.phase,
          phaseStateCell(row.state),
          row.attempt?.toString() ?? '-',
          ...compactFigureCells(row),
          runLinks(input, row.phase),
        ]),
        ['**total**', '', '', ...compactFigureCells(totalFigures(rows)), ''],
      ],
      ['left', 'left', 'right', 'right', 'right', 'right', 'left'],
    ),
    ...latestStateLine(input),
    ...rows.flatMap(problemLines),
    '',
    ...nextLines(ledger),
    '',
    renderStatusMarker(marker),
  ].join('\n');
}

/** The run id of `run`: the marker's record first (numbers), else the id the ledger kept. */
function runIdOf(input: StatusCommentInput, run: Pick<Run, 'phase' | 'attempt' | 'runId'>): number | null {
  const known = input.marker.runs?.find((r) => r.phase === run.phase && r.attempt === run.attempt);
  if (known) return known.runId;
  return run.runId !== undefined && /^\d+$/.test(run.runId) ? Number(run.runId) : null;
}

function runLink(input: StatusCommentInput, runId: number, label: string): string {
  return input.runUrl ? `[${label}](${input.runUrl(runId)})` : `${label} (${runId})`;
}

/** One link per attempt of `phase` that ran on GitHub, oldest first. */
function runLinks(input: StatusCommentInput, phase: Phase): string {
  const links = input.ledger.runs
    .filter((run) => run.phase === phase)
    .flatMap((run) => {
      const id = runIdOf(input, run);
      return id === null ? [] : [runLink(input, id, `#${run.attempt}`)];
    });
  return links.length > 0 ? links.join(' · ') : '-';
}

/** Where the session's cumulative state lives: the latest run and, when named, the artifact that run uploaded. */
function latestStateLine(input: StatusCommentInput): string[] {
  const { marker, ledger } = input;
  const last = ledger.runs.at(-1);
  const id = marker.lastRunId ?? (last ? runIdOf(input, last) : null);
  if (id === null) return [];
  // Name the artifact only for a run known to be `id`: a marker from another moment must not mislabel it.
  const run =
    marker.runs?.find((r) => r.runId === id) ??
    ledger.runs.find((r) => r.runId !== undefined && runIdOf(input, r) === id);
  const artifact =
    run && input.artifactName ? ` (artifact ${codeSpan(input.artifactName(run.phase, run.attempt))})` : '';
  return ['', `Latest state: ${runLink(input, id, `run ${id}`)}${artifact}.`];
}

function nextLines(ledger: Ledger): string[] {
  const status = ledger.status;
  const phrases = nextCommands(ledger).map((command) => command.phrase);
  const others = (primary?: string) => {
    const rest = phrases.filter((phrase) => phrase !== primary);
    return rest.length > 0 ? [`Other options: ${rest.map(codeSpan).join(' · ')}`] : [];
  };
  switch (status.kind) {
    case 'awaiting': {
      const phrase = proceedPhrase(status.gate);
      return [
        `**Next:** to start ${status.gate}, comment ${codeSpan(phrase)} on a line of its own.`,
        `It approves ${codeSpan(shortDigest(status.approves.digest))} at head ${codeSpan(shortSha(status.approves.head))}; a later push to the branch makes the approval stale.`,
        '',
        ...others(phrase),
      ];
    }
    case 'running':
      return [`${status.phase} is running (attempt ${status.attempt}).`, '', ...others()];
    case 'failed':
    case 'blocked': {
      const feedback =
        status.kind === 'blocked' ? ' (lines under `retry …` reach the retry as feedback)' : '';
      return [`**Next:** comment one of ${phrases.map(codeSpan).join(' · ')}${feedback}.`];
    }
    case 'complete':
      return ['Session complete.'];
    case 'cancelled':
      return ['Session cancelled.'];
    default: {
      const never: never = status;
      return never;
    }
  }
}

function problemLines(row: PhaseFigures): string[] {
  if (row.state !== 'failed' && row.state !== 'blocked') return [];
  return [
    '',
    `**${row.phase} ${row.state}** (attempt ${row.attempt ?? '?'}):`,
    '',
    ...excerptBlock(row.error ?? ''),
  ];
}
