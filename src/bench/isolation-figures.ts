import type { CallMetrics } from '../agent/metrics.ts';
import { contextTokens } from '../agent/metrics.ts';
import { billedInputTokens } from '../agent/prices.ts';

/** Token figures of one phase (or of the whole session) in one mode. */
export interface TokenFigures {
  /** Largest input of a single call: the context the phase needed at its peak. */
  peakInput: number;
  /** Input processed over all calls (fresh + cache writes + cache reads). */
  totalInput: number;
  /** What the input is billed as, in fresh-input tokens: cache writes and reads at the model's multipliers. */
  billedInput: number;
  calls: number;
}

/** Figures of a list of calls made to `model`. */
export function figuresOf(calls: readonly CallMetrics[], model: string): TokenFigures {
  return {
    peakInput: Math.max(0, ...calls.map(contextTokens)),
    totalInput: calls.reduce((sum, c) => sum + contextTokens(c), 0),
    billedInput: calls.reduce((sum, c) => sum + billedInputTokens(model, c), 0),
    calls: calls.length,
  };
}

export interface Comparison {
  isolated: TokenFigures;
  monolithic: TokenFigures;
  /** isolated / monolithic for each figure. */
  ratio: { peakInput: number; totalInput: number; billedInput: number };
}

export function compare(isolated: TokenFigures, monolithic: TokenFigures): Comparison {
  const r = (a: number, b: number) => (b === 0 ? 0 : a / b);
  return {
    isolated,
    monolithic,
    ratio: {
      peakInput: r(isolated.peakInput, monolithic.peakInput),
      totalInput: r(isolated.totalInput, monolithic.totalInput),
      billedInput: r(isolated.billedInput, monolithic.billedInput),
    },
  };
}

/**
 * Goals of issue 15, as ratios within one run: on L the isolated (managed) session's billed input at most 20 % of
 * monolithic; each phase's peak context on L at most 1.5× its peak on S; every handoff artifact at most 2k tokens.
 */
export const SCALING_GOALS = { billedOnL: 0.2, peakGrowthLOverS: 1.5, handoffTokens: 2_000 } as const;
