import { describe, expect, it } from 'vitest';
import { billedInputTokens, estimateCostUsd, priceFor } from '../../src/agent/prices.ts';

const counts = (input: number, output: number, write = 0, read = 0) => ({
  inputTokens: input,
  outputTokens: output,
  cacheCreationInputTokens: write,
  cacheReadInputTokens: read,
});

describe('model prices', () => {
  it.each([
    ['claude-sonnet-5-5', { input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.1 }],
    ['claude-sonnet-5', { input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.2 }],
    ['claude-opus-5-5', { input: 4, output: 20, cacheWrite: 5, cacheRead: 0.2 }],
    ['claude-opus-4-8', { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 }],
    ['claude-fable-5-2', { input: 8, output: 40, cacheWrite: 10, cacheRead: 0.2 }],
    ['claude-fable-5-1', { input: 10, output: 50, cacheWrite: 12.5, cacheRead: 0.25 }],
    ['claude-fable-5', { input: 10, output: 50, cacheWrite: 12.5, cacheRead: 1 }],
    ['claude-haiku-4-5-20251001', { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1 }],
    ['claude-sonnet-4-5-20250929', { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 }],
  ])('prices %s with its own cache multipliers', (model, expected) => {
    expect(priceFor(model)).toMatchObject(expected);
  });

  it('never prices a longer model id with a shorter one that happens to be its prefix', () => {
    expect(priceFor('claude-sonnet-5-5').cacheRead).not.toBe(priceFor('claude-sonnet-5').cacheRead);
    expect(priceFor('claude-opus-4-5-20251101').input).toBe(5);
    expect(priceFor('claude-opus-4-1').input).toBe(15);
  });

  it('bills cache reads on Sonnet 5.5 at 0.05 × input and writes at 1.25 ×', () => {
    expect(billedInputTokens('claude-sonnet-5-5', counts(100, 0, 1000, 1000))).toBeCloseTo(100 + 1250 + 50);
    expect(estimateCostUsd('claude-sonnet-5-5', counts(1_000_000, 1_000_000, 0, 1_000_000))).toBeCloseTo(
      2 + 10 + 0.1,
    );
  });

  it('prices a Haiku 5.5 call whose prompt is over 100,000 tokens at the long-prompt rates, output included', () => {
    expect(estimateCostUsd('claude-haiku-5-5', counts(100_000, 1_000_000))).toBeCloseTo(0.01 + 0.5);
    expect(estimateCostUsd('claude-haiku-5-5', counts(100_001, 1_000_000))).toBeCloseTo(0.0500005 + 2.5);
  });

  it('prices an unknown model high rather than low', () => {
    expect(priceFor('claude-future-9').input).toBeGreaterThanOrEqual(priceFor('claude-sonnet-5-5').input);
  });
});
