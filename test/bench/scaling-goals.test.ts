import { describe, expect, it } from 'vitest';
import type { ScenarioReport } from '../../src/bench/bench-report.ts';
import { scalingGoalLines } from '../../src/bench/scaling-goals.ts';

const figures = (peak: number, billed: number) => ({
  peakInput: peak,
  totalInput: billed,
  billedInput: billed,
  calls: 1,
});
const withRatio = (peak: number, billed: number, mono: { peak: number; billed: number }) => ({
  ...figures(peak, billed),
  ratio: { peakInput: peak / mono.peak, totalInput: billed / mono.billed, billedInput: billed / mono.billed },
});

function scenario(
  name: string,
  isoPeak: number,
  monoPeak: number,
  billedRatio: number,
  handoff: number,
): ScenarioReport {
  const mono = { peak: monoPeak, billed: 1000 };
  const phase = withRatio(isoPeak, billedRatio * 1000, mono);
  return {
    scenario: name,
    model: 'claude-sonnet-5-5',
    monolithic: {
      phases: {
        alignment: figures(monoPeak, 1000),
        implementation: figures(monoPeak, 1000),
        verification: figures(monoPeak, 1000),
      },
      session: figures(monoPeak, 1000),
    },
    variants: [
      {
        name: 'isolated',
        config: {},
        phases: { alignment: phase, implementation: phase, verification: phase },
        session: phase,
        handoffTokens: { alignment: 100, implementation: handoff, verification: 100 },
      },
    ],
  };
}

describe('scaling goals', () => {
  it('says which goals of issue 15 are met: billed on L, peak growth from S to L per phase, handoff size', () => {
    const lines = scalingGoalLines({
      scenarios: [scenario('S', 1000, 2000, 0.5, 300), scenario('L', 1400, 40_000, 0.15, 2500)],
      tokenCounts: '',
    });
    expect(lines).toContain('isolated: largest handoff artifact 2,500 tokens (goal ≤ 2,000): NOT met');
    expect(lines).toContain('isolated: billed input on L 15.0% of monolithic (goal ≤ 20.0%): met');
    expect(lines).toContain(
      'isolated: implementation peak context L/S 1.40× (goal ≤ 1.5×; monolithic 20.00×): met',
    );
  });

  it('states only the handoff goal when the run has no L scenario', () => {
    const lines = scalingGoalLines({ scenarios: [scenario('S', 1000, 2000, 0.5, 300)], tokenCounts: '' });
    expect(lines).toEqual(['isolated: largest handoff artifact 300 tokens (goal ≤ 2,000): met']);
  });
});
