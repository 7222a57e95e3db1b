import type { Ledger } from '../state/ledger.ts';
import { figureCells } from './figure-cells.ts';
import { padVisible, shortDigest, shortSha, terminalSafe, truncate } from './format.ts';
import { quotedPhrase } from './next-commands.ts';
import { type Align, renderTable } from './render-table.ts';
import { hasFigures, statusReport } from './status-report.ts';
import type { FigureTotals, PhaseFigures, PhaseState, StatusReport } from './status-report-schema.ts';
import { createStyle, type Style } from './style.ts';
import { unsandboxedNote } from './unsandboxed-note.ts';

export interface RenderStatusOptions {
  /** The clock reading a running phase's elapsed time is measured to. */
  now: Date;
  /** Style with ANSI escapes; false prints none at all. */
  color: boolean;
}

export interface RenderStatusTextOptions {
  /** Style with ANSI escapes; false prints none at all. */
  color: boolean;
  /**
   * How to say the next commands: as `ipo` calls with the phrase beside them (the CLI), or as the phrases alone
   * (the sandbox, where a person comments them on the issue).
   */
  commands?: 'cli' | 'phrases';
}

/** Error text shown under the table is cut to this many lines of at most this many columns. */
const PROBLEM_LINES = 4;
const PROBLEM_WIDTH = 160;
const LABEL_WIDTH = 10;
const TITLE_WIDTH = 80;
const HEADER = ['phase', 'state', 'attempt'];
const FIGURE_HEADER = ['duration', 'input tok', 'output tok', 'cache read', 'cost'];
const ALIGN: Align[] = ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right'];

/** The `ipo status` text of a ledger. */
export function renderStatus(ledger: Ledger, { now, color }: RenderStatusOptions): string {
  return renderStatusText(statusReport(ledger, { now }), { color });
}

/**
 * A status report as terminal text: who and where, the state, what to type next, a table of the phases (with
 * their figures when the report has any), and any error. Every text from the report is made safe to print.
 */
export function renderStatusText(report: StatusReport, options: RenderStatusTextOptions): string {
  const style = createStyle(options.color);
  const figures = hasFigures(report);
  const cells = (row: FigureTotals) => (figures ? figureCells(row) : []);
  return [
    ...headerLines(report, style, options.commands ?? 'cli'),
    '',
    ...renderTable(
      [
        [...HEADER, ...(figures ? FIGURE_HEADER : [])].map(style.bold),
        ...report.phases.map((row) => [
          row.phase,
          styleState(row.state, style),
          row.attempt?.toString() ?? '-',
          ...cells(row),
        ]),
        ...(figures ? [['total', '', '', ...cells(report.totals)].map(style.bold)] : []),
      ],
      ALIGN,
    ),
    ...(figures
      ? [style.dim('input tok includes cache writes and reads; cost is estimated from list prices')]
      : []),
    ...report.phases.flatMap((row) => unsandboxedLines(row, style)),
    ...report.phases.flatMap((row) => problemLines(row, style)),
  ].join('\n');
}

/** The `ipo status --json` document (schema `ipo.status/v1`): the report itself, the same figures as the text. */
export function statusJson(ledger: Ledger, options: { now?: Date } = {}): StatusReport {
  return statusReport(ledger, options);
}

function headerLines(report: StatusReport, style: Style, commands: 'cli' | 'phrases'): string[] {
  const field = (label: string, value: string) => `${padVisible(style.dim(label), LABEL_WIDTH)}${value}`;
  const status = report.status;
  const { title, source } = report.task;
  const task = [
    report.task.id,
    ...(title ? [` · ${truncate(terminalSafe(title), TITLE_WIDTH)}`] : []),
    ...(source ? [`  ${style.dim(`(${terminalSafe(source)})`)}`] : []),
  ].join('');
  const lines = [
    field('session', style.bold(report.session)),
    field('task', task),
    field(
      'branch',
      `${terminalSafe(report.branch)} from ${terminalSafe(report.baseBranch)} · started by ${terminalSafe(report.startedBy)}`,
    ),
    field('state', styleLabel(report, style)),
  ];
  if (status.kind === 'awaiting') {
    lines.push(
      field('approves', `${shortDigest(status.approves.digest)} at head ${shortSha(status.approves.head)}`),
    );
  }
  const cliWidth = Math.max(0, ...report.next.map((command) => command.cli.length));
  report.next.forEach((command, i) => {
    const text =
      commands === 'phrases'
        ? command.phrase
        : `${padVisible(style.bold(command.cli), cliWidth)}  ${style.dim('or')}  ${quotedPhrase(command.phrase)}`;
    lines.push(i === 0 ? field('next', text) : field('', text));
  });
  return lines;
}

function styleState(state: PhaseState, style: Style): string {
  switch (state) {
    case 'succeeded':
      return style.green(state);
    case 'failed':
      return style.red(state);
    case 'blocked':
      return style.yellow(state);
    case 'running':
      return style.cyan(state);
    case 'pending':
    case 'cancelled':
      return style.dim(state);
    default: {
      const never: never = state;
      return never;
    }
  }
}

function styleLabel(report: StatusReport, style: Style): string {
  const label = report.state;
  switch (report.status.kind) {
    case 'failed':
      return style.bold(style.red(label));
    case 'blocked':
    case 'awaiting':
      return style.bold(style.yellow(label));
    case 'complete':
      return style.bold(style.green(label));
    case 'running':
      return style.bold(style.cyan(label));
    case 'cancelled':
      return style.bold(label);
    default: {
      const never: never = report.status;
      return never;
    }
  }
}

/** A phase whose commands ran without the sandbox: the same note as every other surface, made safe to print. */
function unsandboxedLines(row: PhaseFigures, style: Style): string[] {
  const note = unsandboxedNote(row);
  return note ? ['', style.yellow(`warning: ${terminalSafe(note)}`)] : [];
}

/** For a failed or blocked phase: a heading and the first lines of why, made safe to print. */
function problemLines(row: PhaseFigures, style: Style): string[] {
  if (row.state !== 'failed' && row.state !== 'blocked') return [];
  const heading = `${row.phase} ${row.state} (attempt ${row.attempt ?? '?'}):`;
  const text = terminalSafe(row.error ?? 'no reason was recorded');
  const all = text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '');
  const shown = all.slice(0, PROBLEM_LINES).map((line) => `  ${truncate(line, PROBLEM_WIDTH)}`);
  const rest = all.length - shown.length;
  if (rest > 0) shown.push(style.dim(`  … ${rest} more line${rest === 1 ? '' : 's'}`));
  return ['', row.state === 'failed' ? style.red(heading) : style.yellow(heading), ...shown];
}
