import { type Phase, proceedPhrase } from '../core/phases.ts';
import { renderStatusMarker, type StatusMarker } from '../github/status-marker.ts';
import type { Ledger } from '../state/ledger.ts';
import { shortDigest, shortSha, truncate } from './format.ts';
import { codeSpan, excerptBlock, inline, table } from './markdown.ts';
import { compactFigureCells, phaseStateCell, statusIcon } from './phase-cells.ts';
import type { PhaseRunResult } from './phase-review.ts';
import { reviewDetails } from './review-markdown.ts';
import { hasFigures, markerStatusReport, statusReport } from './status-report.ts';
import type { PhaseFigures, StatusReport } from './status-report-schema.ts';
import { unsandboxedWarning } from './unsandboxed-note.ts';

export interface ReportCommentOptions {
  /** The marker the comment ends with; it must name the report's session. */
  marker: StatusMarker;
  /** The web URL of a workflow run (e.g. `${serverUrl}/${owner}/${repo}/actions/runs/${id}`); ids show bare without it. */
  runUrl?: ((runId: number) => string) | undefined;
  /** The workflow artifact holding a run's state (`ipo-<session>-<phase>-<attempt>`), named under the table. */
  artifactName?: ((phase: Phase, attempt: number) => string) | undefined;
  /** Markdown lines ipo itself wrote (never untrusted text), said before what to comment next. */
  notices?: readonly string[] | undefined;
}

export interface StatusCommentInput extends ReportCommentOptions {
  ledger: Ledger;
  /** The clock a running phase's elapsed time is measured to. */
  now?: Date;
  /** The latest run's artifact: its review goes in the comment, folded. */
  result?: PhaseRunResult | undefined;
}

const TITLE_WIDTH = 100;

/** The status comment the job writes: the report of its ledger, with every figure. */
export function renderStatusComment(input: StatusCommentInput): string {
  const { ledger, now, result, ...options } = input;
  return renderReportComment(
    statusReport(ledger, { marker: input.marker, result, ...(now ? { now } : {}) }),
    options,
  );
}

/**
 * The status comment the app writes between jobs: the same comment from the marker alone (no ledger, so no
 * figures); the next job replaces it with the full table.
 */
export function renderMarkerComment(marker: StatusMarker, runUrl: (runId: number) => string): string {
  return renderReportComment(markerStatusReport(marker), { marker, runUrl });
}

/**
 * The sticky status comment: the session and its state, a table of the four phases with links to their runs (and
 * their figures when the report has any), what to comment next (the exact gate phrase, or retry / rollback /
 * cancel), which phases ran commands without the sandbox, why a phase failed or blocked, what the latest run asks a
 * person to approve (folded in `<details>`), and the hidden marker as the last line. Every piece of text a person, a
 * model or a branch name supplied goes through `inline`, `codeSpan` or a code block.
 */
export function renderReportComment(report: StatusReport, options: ReportCommentOptions): string {
  const { marker } = options;
  if (marker.session !== report.session) {
    throw new Error(`status marker names session ${marker.session}, the report is ${report.session}`);
  }
  const figures = hasFigures(report);
  const title = report.task.title ? ` · ${inline(truncate(report.task.title, TITLE_WIDTH))}` : '';
  return [
    `### ${statusIcon(report.status)} ipo ${codeSpan(report.session)} · ${codeSpan(report.state)}`,
    '',
    `Task **${inline(report.task.id)}**${title} · branch ${codeSpan(report.branch)} from ` +
      `${codeSpan(report.baseBranch)} · started by ${inline(report.startedBy)}`,
    '',
    ...phaseTable(report, options, figures),
    ...latestStateLine(report, options),
    ...report.phases.flatMap(unsandboxedWarning),
    ...report.phases.flatMap(problemLines),
    ...(report.review ? ['', ...reviewDetails(report.review)] : []),
    ...(options.notices ?? []).flatMap((notice) => ['', notice]),
    '',
    ...nextLines(report),
    '',
    ...unsignedWarning(marker),
    renderStatusMarker(marker),
  ].join('\n');
}

/**
 * Said loudly where no state key is configured: without a seal, anyone who can edit this comment (every repository
 * writer) could change the session state ipo reads from it.
 */
function unsignedWarning(marker: StatusMarker): string[] {
  if (marker.sig) return [];
  return [
    '⚠️ This status comment is **not signed**: ipo has no state key for this repository, so a writer who edits ' +
      'it could change what ipo does next. Set the secret `IPO_STATE_KEY` (see the README, "State you can trust").',
    '',
  ];
}

/** The phase table; figure columns (and the total row) only when some run recorded a figure. */
function phaseTable(report: StatusReport, options: ReportCommentOptions, figures: boolean): string[] {
  const figureHeader = figures ? ['duration', 'tokens in / out', 'cost'] : [];
  const figureAlign = figures ? (['right', 'right', 'right'] as const) : [];
  const rows = report.phases.map((row) => [
    row.phase,
    phaseStateCell(row.state),
    row.attempt?.toString() ?? '-',
    ...(figures ? compactFigureCells(row) : []),
    runLinks(report, options, row.phase),
  ]);
  const total = figures ? [['**total**', '', '', ...compactFigureCells(report.totals), '']] : [];
  return table(
    ['phase', 'state', 'attempt', ...figureHeader, 'runs'],
    [...rows, ...total],
    ['left', 'left', 'right', ...figureAlign, 'left'],
  );
}

function runLink(options: ReportCommentOptions, runId: number, label: string): string {
  return options.runUrl ? `[${label}](${options.runUrl(runId)})` : `${label} (${runId})`;
}

/** One link per attempt of `phase` that ran on GitHub, oldest first. */
function runLinks(report: StatusReport, options: ReportCommentOptions, phase: Phase): string {
  const links = report.workflowRuns
    .filter((run) => run.phase === phase)
    .map((run) => runLink(options, run.runId, `#${run.attempt}`));
  return links.length > 0 ? links.join(' · ') : '-';
}

/** Where the session's cumulative state lives: the latest run and, when named, the artifact that run uploaded. */
function latestStateLine(report: StatusReport, options: ReportCommentOptions): string[] {
  const id = report.latestRunId;
  if (id === null) return [];
  // Name the artifact only for a run known to be `id`: a marker from another moment must not mislabel it.
  const run = report.workflowRuns.find((r) => r.runId === id);
  const artifact =
    run && options.artifactName
      ? ` (artifact ${codeSpan(options.artifactName(run.phase, run.attempt))})`
      : '';
  return ['', `Latest state: ${runLink(options, id, `run ${id}`)}${artifact}.`];
}

function nextLines(report: StatusReport): string[] {
  const status = report.status;
  const phrases = report.next.map((command) => command.phrase);
  const others = (primary?: string) => {
    const rest = phrases.filter((phrase) => phrase !== primary);
    return rest.length > 0 ? [`Other options: ${rest.map(codeSpan).join(' · ')}`] : [];
  };
  switch (status.kind) {
    case 'awaiting': {
      const phrase = proceedPhrase(status.gate);
      return [
        `**Next:** to start ${status.gate}, comment ${codeSpan(phrase)} on a line of its own` +
          (status.gate === 'commit' ? '.' : ' (lines under it reach the phase as feedback).'),
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
