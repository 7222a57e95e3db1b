import { formatDuration, formatTokens, formatUsd } from './format.ts';
import type { FigureTotals } from './status-report-schema.ts';

/** A figure formatted, or `-` when no run recorded it. */
export function figureCell<T>(value: T | null, format: (value: T) => string): string {
  return value === null ? '-' : format(value);
}

/** Duration, input, output, cache-read tokens and cost: the figure columns of the status table and job summary. */
export function figureCells(figures: FigureTotals): string[] {
  return [
    figureCell(figures.durationMs, formatDuration),
    figureCell(figures.inputTokens, formatTokens),
    figureCell(figures.outputTokens, formatTokens),
    figureCell(figures.cacheReadInputTokens, formatTokens),
    figureCell(figures.costUsd, formatUsd),
  ];
}
