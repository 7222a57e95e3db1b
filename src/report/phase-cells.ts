import type { SessionStatus } from '../core/session/session-state.ts';
import { figureCell } from './figure-cells.ts';
import { formatDuration, formatTokens, formatUsd } from './format.ts';
import type { FigureTotals, PhaseState } from './status-report-schema.ts';

const PHASE_STATE_ICON: Record<PhaseState, string> = {
  pending: '⚪',
  running: '⏳',
  succeeded: '✅',
  failed: '❌',
  blocked: '🚧',
  cancelled: '⛔',
};

const STATUS_ICON: Record<SessionStatus['kind'], string> = {
  running: '⏳',
  awaiting: '⏸️',
  failed: '❌',
  blocked: '🚧',
  complete: '✅',
  cancelled: '⛔',
};

/** A phase row's state for a markdown table: icon and word, so it reads without colour too. */
export function phaseStateCell(state: PhaseState): string {
  return `${PHASE_STATE_ICON[state]} ${state}`;
}

/** The icon for the session's status, for headings. */
export function statusIcon(status: SessionStatus): string {
  return STATUS_ICON[status.kind];
}

/** Duration, tokens in / out, cost: the columns of the status comment's compact table. */
export function compactFigureCells(figures: FigureTotals): string[] {
  const tokens =
    figures.inputTokens === null && figures.outputTokens === null
      ? '-'
      : `${figureCell(figures.inputTokens, formatTokens)} / ${figureCell(figures.outputTokens, formatTokens)}`;
  return [figureCell(figures.durationMs, formatDuration), tokens, figureCell(figures.costUsd, formatUsd)];
}
