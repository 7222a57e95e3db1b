import { estimateCostUsd, type TokenCounts } from './prices.ts';

/** What one Messages API call cost and how it ended. */
export interface CallMetrics extends TokenCounts {
  stopReason: string | null;
  durationMs: number;
}

/** Totals of one agent run (one phase attempt). */
export interface AgentMetrics extends TokenCounts {
  model: string;
  turns: number;
  durationMs: number;
  costUsd: number;
  /** Largest input (incl. cache reads/writes) of a single call: the context size the phase needed. */
  peakInputTokens: number;
  calls: CallMetrics[];
}

/** Sum call metrics into run totals. */
export function summarizeCalls(model: string, calls: CallMetrics[], durationMs: number): AgentMetrics {
  const sum = (pick: (c: CallMetrics) => number) => calls.reduce((total, c) => total + pick(c), 0);
  const totals: TokenCounts = {
    inputTokens: sum((c) => c.inputTokens),
    outputTokens: sum((c) => c.outputTokens),
    cacheCreationInputTokens: sum((c) => c.cacheCreationInputTokens),
    cacheReadInputTokens: sum((c) => c.cacheReadInputTokens),
  };
  return {
    model,
    turns: calls.length,
    durationMs,
    // Per call: a long-prompt price tier depends on each call's own prompt size.
    costUsd: sum((c) => estimateCostUsd(model, c)),
    peakInputTokens: Math.max(0, ...calls.map(contextTokens)),
    calls,
    ...totals,
  };
}

/** All input a call processed, whether fresh, written to or read from the cache. */
export function contextTokens(t: TokenCounts): number {
  return t.inputTokens + t.cacheCreationInputTokens + t.cacheReadInputTokens;
}
