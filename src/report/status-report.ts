import { PHASES, type Phase, phaseIndex } from '../core/phases.ts';
import { stateLabel } from '../core/session/session-state.ts';
import { markerView, type StatusMarker } from '../github/status-marker.ts';
import type { Ledger } from '../state/ledger.ts';
import { toSessionView } from '../state/to-session-view.ts';
import { nextCommands } from './next-commands.ts';
import { phaseFigures, totalFigures } from './phase-figures.ts';
import {
  type FigureTotals,
  type PhaseFigures,
  type PhaseState,
  STATUS_REPORT_SCHEMA_ID,
  type StatusReport,
  type WorkflowRun,
} from './status-report-schema.ts';

export interface StatusReportOptions {
  /** The clock a running phase's elapsed time is measured to. */
  now?: Date;
  /** The session's status marker: the run ids and conclusions the app recorded (the ledger keeps only its own). */
  marker?: StatusMarker;
}

/** The report of a session from its ledger (job, CLI): every figure the ledger holds. */
export function statusReport(ledger: Ledger, options: StatusReportOptions = {}): StatusReport {
  const { marker } = options;
  if (marker && marker.session !== ledger.session) {
    throw new Error(
      `status marker names session ${marker.session}, the ledger is ${ledger.session}: ` +
        'build the marker from this ledger (statusMarkerFor) before rendering',
    );
  }
  const phases = phaseFigures(ledger, options.now);
  const recorded = marker?.runs ?? [];
  const fromLedger = ledger.runs.flatMap((run): WorkflowRun[] => {
    const known = recorded.find((r) => r.phase === run.phase && r.attempt === run.attempt);
    const runId = known?.runId ?? numericRunId(run.runId);
    return runId === null
      ? []
      : [{ phase: run.phase, attempt: run.attempt, runId, conclusion: known?.conclusion ?? null }];
  });
  const workflowRuns = sortRuns([...fromLedger, ...markerRuns(marker).filter((r) => !has(fromLedger, r))]);
  // The latest state is the marker's pointer, else the ledger's latest run when it ran on GitHub.
  const latest = ledger.runs.at(-1);
  const last = latest && fromLedger.find((r) => r.phase === latest.phase && r.attempt === latest.attempt);
  return {
    schema: STATUS_REPORT_SCHEMA_ID,
    session: ledger.session,
    task: { id: ledger.taskId, title: ledger.task.title, source: ledger.task.source },
    branch: ledger.branch,
    baseBranch: ledger.baseBranch,
    startedBy: ledger.startedBy,
    state: stateLabel(ledger.status),
    status: ledger.status,
    next: nextCommands(toSessionView(ledger)),
    phases,
    totals: totalFigures(phases),
    workflowRuns,
    latestRunId: marker?.lastRunId ?? last?.runId ?? null,
  };
}

/**
 * The report of a session from its status marker alone (the app between jobs keeps no ledger): the same states,
 * attempts, runs and next commands, with no figures, no task title and no run times.
 */
export function markerStatusReport(marker: StatusMarker): StatusReport {
  const phases = PHASES.map((phase) => markerPhase(marker, phase));
  return {
    schema: STATUS_REPORT_SCHEMA_ID,
    session: marker.session,
    task: { id: marker.taskId, title: null, source: null },
    branch: marker.branch,
    baseBranch: marker.baseBranch,
    startedBy: marker.startedBy,
    state: stateLabel(marker.state),
    status: marker.state,
    next: nextCommands(markerView(marker)),
    phases,
    totals: totalFigures(phases),
    workflowRuns: sortRuns(markerRuns(marker)),
    latestRunId: marker.lastRunId ?? null,
  };
}

/** Whether any phase has a figure to show: a report from the marker alone has none, so its tables leave them out. */
export function hasFigures(report: Pick<StatusReport, 'totals'>): boolean {
  const totals: FigureTotals = report.totals;
  return Object.values(totals).some((value) => value !== null);
}

const NO_FIGURES = {
  durationMs: null,
  inputTokens: null,
  outputTokens: null,
  cacheReadInputTokens: null,
  costUsd: null,
} as const satisfies FigureTotals;

/** A phase row from the marker: the status names the current phase; digests and run records tell the others. */
function markerPhase(marker: StatusMarker, phase: Phase): PhaseFigures {
  const status = marker.state;
  const attempts = marker.attempts[phase];
  const row = (state: PhaseState, attempt: number | null, error: string | null = null): PhaseFigures => ({
    phase,
    state,
    attempt,
    runs: attempts,
    startedAt: null,
    finishedAt: null,
    error,
    // The marker does not carry it: the job's next comment, built from the ledger, says it again.
    unsandboxed: null,
    ...NO_FIGURES,
  });
  if (
    (status.kind === 'running' || status.kind === 'failed' || status.kind === 'blocked') &&
    status.phase === phase
  ) {
    const why = status.kind === 'failed' ? status.error : status.kind === 'blocked' ? status.reason : null;
    return row(status.kind, status.attempt, why);
  }
  if (attempts === 0) return row('pending', null);
  if (marker.digests[phase] !== undefined) return row('succeeded', attempts);
  const conclusion = marker.runs?.find((r) => r.phase === phase && r.attempt === attempts)?.conclusion;
  if (conclusion !== undefined) return row(conclusionState(conclusion), attempts);
  // No record of how it ended and no digest: a rolled-back phase (the ledger's latest run of it succeeded).
  return row('succeeded', attempts);
}

/** A run's conclusion in either vocabulary: GitHub's (`success`, `timed_out`, …) or the job's (`succeeded`, …). */
function conclusionState(conclusion: string): PhaseState {
  if (conclusion === 'success' || conclusion === 'succeeded') return 'succeeded';
  if (conclusion === 'blocked') return 'blocked';
  if (conclusion === 'cancelled' || conclusion === 'skipped') return 'cancelled';
  return 'failed';
}

function markerRuns(marker: StatusMarker | undefined): WorkflowRun[] {
  return (marker?.runs ?? []).map((r) => ({ ...r, conclusion: r.conclusion ?? null }));
}

function has(runs: readonly WorkflowRun[], run: WorkflowRun): boolean {
  return runs.some((r) => r.phase === run.phase && r.attempt === run.attempt);
}

function sortRuns(runs: WorkflowRun[]): WorkflowRun[] {
  return runs.sort((a, b) => phaseIndex(a.phase) - phaseIndex(b.phase) || a.attempt - b.attempt);
}

/** The ledger keeps a run id as text (a local run has none); only a GitHub run's number links anywhere. */
function numericRunId(runId: string | undefined): number | null {
  return runId !== undefined && /^\d+$/.test(runId) ? Number(runId) : null;
}
