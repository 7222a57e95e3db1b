import type { AgentBudgets, AgentFailure } from './agent-types.ts';
import { type CallMetrics, contextTokens } from './metrics.ts';

/** The first budget the run has exceeded (or would exceed by starting `turn`), or null. */
export function checkBudgets(
  budgets: AgentBudgets,
  calls: CallMetrics[],
  elapsedMs: number,
  turn: number,
): Extract<AgentFailure, { kind: 'budget' }> | null {
  const input = calls.reduce((total, c) => total + contextTokens(c), 0);
  const output = calls.reduce((total, c) => total + c.outputTokens, 0);
  if (turn > budgets.maxTurns) {
    return over(
      'turns',
      budgets.maxTurns,
      turn - 1,
      `turn budget exceeded: ${turn - 1} turns used of ${budgets.maxTurns}`,
    );
  }
  if (input > budgets.maxInputTokens) {
    return over(
      'input-tokens',
      budgets.maxInputTokens,
      input,
      `input-token budget exceeded: ${input} tokens used of ${budgets.maxInputTokens}`,
    );
  }
  if (output >= budgets.maxOutputTokens) {
    return over(
      'output-tokens',
      budgets.maxOutputTokens,
      output,
      `output-token budget exceeded: ${output} tokens used of ${budgets.maxOutputTokens}`,
    );
  }
  if (elapsedMs > budgets.wallTimeMs) {
    return over(
      'wall-time',
      budgets.wallTimeMs,
      elapsedMs,
      `wall-time budget exceeded: ${elapsedMs} ms used of ${budgets.wallTimeMs} ms`,
    );
  }
  return null;
}

function over(
  budget: Extract<AgentFailure, { kind: 'budget' }>['budget'],
  limit: number,
  used: number,
  message: string,
) {
  return { kind: 'budget' as const, budget, limit, used, message };
}
