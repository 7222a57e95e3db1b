import { contextTokens } from '../agent/metrics.ts';
import { PHASES, type Phase } from '../core/phases.ts';
import type { Ledger, Run } from '../state/ledger.ts';
import type { FigureTotals, PhaseFigures } from './status-report-schema.ts';

type Figures = FigureTotals;
type FigureName = keyof Figures;
const FIGURES: FigureName[] = [
  'durationMs',
  'inputTokens',
  'outputTokens',
  'cacheReadInputTokens',
  'costUsd',
];

/**
 * One row per phase: state and attempt from its latest run; durations, tokens and cost added up over every attempt,
 * so the rows sum to what the session spent. `now` lets a running attempt count its time so far.
 */
export function phaseFigures(ledger: Ledger, now?: Date): PhaseFigures[] {
  return PHASES.map((phase) => {
    const runs = ledger.runs.filter((run) => run.phase === phase);
    const latest = runs.at(-1);
    return {
      phase,
      state: latest?.status ?? 'pending',
      attempt: latest?.attempt ?? null,
      runs: runs.length,
      startedAt: latest?.startedAt ?? null,
      finishedAt: latest?.finishedAt ?? null,
      error: latest ? runProblem(ledger, latest) : null,
      unsandboxed: unsandboxedRuns(runs),
      ...sumFigures(runs.map((run) => runFigures(run, now))),
    };
  });
}

/**
 * Every attempt of the phase whose commands ran without the sandbox, not only the latest: the branch can still hold
 * what an earlier one wrote.
 */
function unsandboxedRuns(runs: readonly Run[]): PhaseFigures['unsandboxed'] {
  const unsandboxed = runs.filter((run) => run.unsandboxed !== undefined);
  const latest = unsandboxed.at(-1);
  if (!latest?.unsandboxed) return null;
  return { attempts: unsandboxed.map((run) => run.attempt), reason: latest.unsandboxed };
}

/** The phase figures added up; a figure stays null only if it is null in every row. */
export function totalFigures(rows: readonly Figures[]): FigureTotals {
  return sumFigures(rows);
}

function runFigures(run: Run, now: Date | undefined): Figures {
  const m = run.metrics;
  return {
    durationMs: runDurationMs(run, now),
    inputTokens: m ? contextTokens(m) : null,
    outputTokens: m?.outputTokens ?? null,
    cacheReadInputTokens: m?.cacheReadInputTokens ?? null,
    costUsd: m?.costUsd ?? null,
  };
}

/** The agent's own measure when there is one; else the run's timestamps; else (running) the time so far. */
function runDurationMs(run: Run, now: Date | undefined): number | null {
  if (run.metrics) return run.metrics.durationMs;
  const end = run.finishedAt !== undefined ? Date.parse(run.finishedAt) : now?.getTime();
  return end === undefined ? null : Math.max(0, end - Date.parse(run.startedAt));
}

function sumFigures(items: readonly Figures[]): Figures {
  const total: Figures = {
    durationMs: null,
    inputTokens: null,
    outputTokens: null,
    cacheReadInputTokens: null,
    costUsd: null,
  };
  for (const item of items) {
    for (const name of FIGURES) {
      const value = item[name];
      if (value !== null) total[name] = (total[name] ?? 0) + value;
    }
  }
  // Float sums of prices drift (0.01 + 0.0523 = 0.062299…); JSON output should not show that.
  if (total.costUsd !== null) total.costUsd = Math.round(total.costUsd * 1e8) / 1e8;
  return total;
}

/** Why a failed or blocked run stopped: its own error, else the session status' message for that attempt. */
export function runProblem(ledger: Ledger, run: Run): string | null {
  if (run.status !== 'failed' && run.status !== 'blocked') return null;
  if (run.error !== undefined) return run.error;
  const status = ledger.status;
  const same = (phase: Phase, attempt: number) => phase === run.phase && attempt === run.attempt;
  if (status.kind === 'failed' && same(status.phase, status.attempt)) return status.error;
  if (status.kind === 'blocked' && same(status.phase, status.attempt)) return status.reason;
  return null;
}
