import { describe, expect, it } from 'vitest';
import { compare, figuresOf } from '../../src/bench/isolation-figures.ts';
import { monolithicScript } from '../../src/bench/monolithic-script.ts';

const call = (input: number, write: number, read: number) => ({
  inputTokens: input,
  outputTokens: 10,
  cacheCreationInputTokens: write,
  cacheReadInputTokens: read,
  stopReason: 'tool_use',
  durationMs: 5,
});

const MODEL = 'claude-sonnet-5-5';

describe('isolation figures', () => {
  it('bills Sonnet 5.5 cache reads at its own 0.05 × input, not a constant 0.1', () => {
    expect(figuresOf([call(0, 0, 1000)], MODEL).billedInput).toBeCloseTo(50);
  });

  it('takes the peak over calls, sums the context, and bills cache writes at 1.25 and reads at 0.1 on Opus 4.8', () => {
    const figures = figuresOf([call(100, 1000, 0), call(50, 200, 1000)], 'claude-opus-4-8');
    expect(figures).toEqual({
      peakInput: 1250,
      totalInput: 2350,
      billedInput: 100 + 1250 + 50 + 250 + 100,
      calls: 2,
    });
  });

  it('reports isolated/monolithic ratios, and 0 when the baseline is empty', () => {
    const iso = figuresOf([call(100, 0, 0)], MODEL);
    const mono = figuresOf([call(400, 0, 0)], MODEL);
    expect(compare(iso, mono).ratio).toEqual({ peakInput: 0.25, totalInput: 0.25, billedInput: 0.25 });
    expect(compare(iso, figuresOf([], MODEL)).ratio.peakInput).toBe(0);
  });
});

describe('monolithic script', () => {
  it('chains the conversations in order, renames each submit_result, and drops isolation expectations', () => {
    const script = monolithicScript([
      {
        name: 'alignment',
        turns: [
          {
            expect: { notContains: ['secret'] },
            response: { content: [{ type: 'tool_use', id: 'a', name: 'submit_result', input: {} }] },
          },
        ],
      },
      {
        name: 'implementation',
        turns: [
          { response: { content: [{ type: 'tool_use', id: 'b', name: 'read_file', input: { path: 'x' } }] } },
        ],
      },
    ]);
    expect(script.conversations).toHaveLength(1);
    const turns = script.conversations[0]?.turns ?? [];
    expect(
      turns.map((t) => t.response.content.map((b) => (b.type === 'tool_use' ? b.name : b.type))),
    ).toEqual([['submit_alignment'], ['read_file']]);
    expect(turns.every((t) => t.expect === undefined)).toBe(true);
  });
});
