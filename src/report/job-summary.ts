import { findRun } from '../session/ledger-ops.ts';
import type { Ledger, Run } from '../state/ledger.ts';
import { figureCells } from './figure-cells.ts';
import { truncate } from './format.ts';
import { codeSpan, excerptBlock, inline, table } from './markdown.ts';
import { phaseStateCell } from './phase-cells.ts';
import { runProblem } from './phase-figures.ts';
import { type PhaseResult, phaseResultLines } from './phase-result-markdown.ts';
import { sessionFlowchart } from './session-flowchart.ts';
import { statusReport } from './status-report.ts';
import { unsandboxedWarning } from './unsandboxed-note.ts';

/** How the job's phase run ended. */
export type JobOutcome = Exclude<Run['status'], 'running'>;

/** The ledger after the run, the phase and attempt the job ran, its outcome, and its artifact body if it has one. */
export type JobSummaryInput = PhaseResult & {
  ledger: Ledger;
  attempt: number;
  outcome: JobOutcome;
  /** The clock a still-running phase's elapsed time is measured to. */
  now?: Date;
};

const OUTCOME_ICON: Record<JobOutcome, string> = {
  succeeded: '✅',
  failed: '❌',
  blocked: '🚧',
  cancelled: '⛔',
};

/**
 * Markdown for `$GITHUB_STEP_SUMMARY` from the ledger's status report: the outcome, a mermaid diagram of the session with this job's phase
 * highlighted, a metrics table per phase, a warning for each phase whose commands ran unsandboxed, why the run failed or blocked, and the phase's result from its artifact.
 */
export function renderJobSummary(input: JobSummaryInput): string {
  const { ledger, phase, attempt, outcome } = input;
  const report = statusReport(ledger, input.now ? { now: input.now } : {});
  return [
    `## ${OUTCOME_ICON[outcome]} ipo ${phase} #${attempt} ${outcome}`,
    '',
    `Session ${codeSpan(report.session)} · task **${inline(report.task.id)}** · ${inline(truncate(ledger.task.title, 100))} · ` +
      `branch ${codeSpan(report.branch)} · now ${codeSpan(report.state)}`,
    '',
    ...sessionFlowchart(ledger, { phase, attempt, state: outcome }),
    '',
    '### Metrics',
    '',
    ...table(
      ['phase', 'state', 'attempt', 'duration', 'input tok', 'output tok', 'cache read', 'cost'],
      [
        ...report.phases.map((row) => [
          row.phase === phase ? `**${row.phase}**` : row.phase,
          phaseStateCell(row.state),
          row.attempt?.toString() ?? '-',
          ...figureCells(row),
        ]),
        ['**total**', '', '', ...figureCells(report.totals)],
      ],
      ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right'],
    ),
    '',
    'Input tokens include cache writes and reads; cost is estimated from list prices.',
    ...report.phases.flatMap(unsandboxedWarning),
    ...problemLines(input),
    '',
    `### Result: ${phase}`,
    '',
    ...phaseResultLines(input),
    '',
  ].join('\n');
}

/** Why this job's run failed or blocked, as recorded in the ledger. */
function problemLines({ ledger, phase, attempt, outcome }: JobSummaryInput): string[] {
  if (outcome !== 'failed' && outcome !== 'blocked') return [];
  const run = findRun(ledger, phase, attempt);
  const problem = run ? runProblem(ledger, run) : null;
  return [
    '',
    `### Why it ${outcome === 'failed' ? 'failed' : 'blocked'}`,
    '',
    ...excerptBlock(problem ?? '', { lines: 20 }),
  ];
}
