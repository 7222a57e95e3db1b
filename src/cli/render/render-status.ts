import { stateLabel } from '../../core/session/session-state.ts';
import type { Ledger } from '../../state/ledger.ts';
import { figureCells } from './figure-cells.ts';
import { padVisible, shortDigest, shortSha, terminalSafe, truncate } from './format.ts';
import { nextCommands, quotedPhrase } from './next-commands.ts';
import { phaseFigures, totalFigures } from './phase-figures.ts';
import { type Align, renderTable } from './render-table.ts';
import {
  type PhaseFigures,
  type PhaseState,
  STATUS_JSON_SCHEMA_ID,
  type StatusJson,
} from './status-json-schema.ts';
import { createStyle, type Style } from './style.ts';

export interface RenderStatusOptions {
  /** The clock reading a running phase's elapsed time is measured to. */
  now: Date;
  /** Style with ANSI escapes; false prints none at all. */
  color: boolean;
}

/** Error text shown under the table is cut to this many lines of at most this many columns. */
const PROBLEM_LINES = 4;
const PROBLEM_WIDTH = 160;
const LABEL_WIDTH = 10;
const TITLE_WIDTH = 80;
const HEADER = ['phase', 'state', 'attempt', 'duration', 'input tok', 'output tok', 'cache read', 'cost'];
const ALIGN: Align[] = ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right'];

/** The `ipo status` text: who and where, the state, what to type next, a table of the phases, and any error. */
export function renderStatus(ledger: Ledger, { now, color }: RenderStatusOptions): string {
  const style = createStyle(color);
  const rows = phaseFigures(ledger, now);
  return [
    ...headerLines(ledger, style),
    '',
    ...renderTable(
      [
        HEADER.map(style.bold),
        ...rows.map((row) => [
          row.phase,
          styleState(row.state, style),
          row.attempt?.toString() ?? '-',
          ...figureCells(row),
        ]),
        ['total', '', '', ...figureCells(totalFigures(rows))].map(style.bold),
      ],
      ALIGN,
    ),
    style.dim('input tok includes cache writes and reads; cost is estimated from list prices'),
    ...rows.flatMap((row) => problemLines(row, style)),
  ].join('\n');
}

/** The `ipo status --json` document (schema `ipo.status/v1`, see status-json-schema.ts): the same figures as the text. */
export function statusJson(ledger: Ledger, options: { now?: Date } = {}): StatusJson {
  const phases = phaseFigures(ledger, options.now);
  return {
    schema: STATUS_JSON_SCHEMA_ID,
    session: ledger.session,
    task: { id: ledger.taskId, title: ledger.task.title, source: ledger.task.source },
    branch: ledger.branch,
    baseBranch: ledger.baseBranch,
    startedBy: ledger.startedBy,
    state: stateLabel(ledger.status),
    status: ledger.status,
    next: nextCommands(ledger),
    phases,
    totals: totalFigures(phases),
  };
}

function headerLines(ledger: Ledger, style: Style): string[] {
  const field = (label: string, value: string) => `${padVisible(style.dim(label), LABEL_WIDTH)}${value}`;
  const status = ledger.status;
  const task = `${ledger.taskId} · ${truncate(terminalSafe(ledger.task.title), TITLE_WIDTH)}`;
  const lines = [
    field('session', style.bold(ledger.session)),
    field('task', `${task}  ${style.dim(`(${terminalSafe(ledger.task.source)})`)}`),
    field(
      'branch',
      `${terminalSafe(ledger.branch)} from ${terminalSafe(ledger.baseBranch)} · started by ${terminalSafe(ledger.startedBy)}`,
    ),
    field('state', styleLabel(ledger, style)),
  ];
  if (status.kind === 'awaiting') {
    lines.push(
      field('approves', `${shortDigest(status.approves.digest)} at head ${shortSha(status.approves.head)}`),
    );
  }
  const next = nextCommands(ledger);
  const cliWidth = Math.max(0, ...next.map((command) => command.cli.length));
  next.forEach((command, i) => {
    const text = `${padVisible(style.bold(command.cli), cliWidth)}  ${style.dim('or')}  ${quotedPhrase(command.phrase)}`;
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

function styleLabel(ledger: Ledger, style: Style): string {
  const label = stateLabel(ledger.status);
  switch (ledger.status.kind) {
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
      const never: never = ledger.status;
      return never;
    }
  }
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
