import { describe, expect, it } from 'vitest';
import { summarizeCalls } from '../../src/agent/metrics.ts';
import { metricsSchema } from '../../src/state/metrics.ts';

const call = {
  inputTokens: 100,
  outputTokens: 20,
  cacheCreationInputTokens: 1000,
  cacheReadInputTokens: 0,
  stopReason: 'tool_use',
  durationMs: 900,
};

describe('metrics', () => {
  it("accepts the agent's run metrics as they are, so the ledger can record them without mapping", () => {
    const metrics = summarizeCalls('claude-sonnet-4-5', [call, { ...call, stopReason: 'end_turn' }], 2000);
    expect(metricsSchema.parse(metrics)).toEqual(metrics);
  });

  it.each([
    ['a negative token count', { calls: [{ ...call, inputTokens: -1 }] }],
    ['a fractional turn count', { turns: 1.5 }],
    ['a call without a stop reason field', { calls: [{ ...call, stopReason: undefined }] }],
  ])('refuses %s', (_label, patch) => {
    const metrics = { ...summarizeCalls('claude-sonnet-4-5', [call], 1000), ...patch };
    expect(metricsSchema.safeParse(metrics).success).toBe(false);
  });
});
