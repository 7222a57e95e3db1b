import { type BenchReport, MODEL_PHASES } from './bench-report.ts';
import { SCALING_GOALS } from './isolation-figures.ts';

/**
 * One line per goal of `SCALING_GOALS` for each isolated variant, with the figure reached and "met"/"NOT met";
 * the scale goals need both the S and the L scenario in the report, the handoff goal any scenario.
 */
export function scalingGoalLines(report: BenchReport): string[] {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const small = report.scenarios.find((s) => s.scenario === 'S');
  const large = report.scenarios.find((s) => s.scenario === 'L');
  const names = report.scenarios[0]?.variants.map((v) => v.name) ?? [];
  const lines: string[] = [];
  for (const name of names) {
    const handoff = Math.max(
      0,
      ...report.scenarios.flatMap((s) => {
        const v = s.variants.find((x) => x.name === name);
        return v ? MODEL_PHASES.map((p) => v.handoffTokens[p]) : [];
      }),
    );
    lines.push(
      `${name}: largest handoff artifact ${handoff.toLocaleString('en-US')} tokens (goal ≤ ${SCALING_GOALS.handoffTokens.toLocaleString('en-US')}): ${verdict(handoff <= SCALING_GOALS.handoffTokens)}`,
    );
    const vs = small?.variants.find((x) => x.name === name);
    const vl = large?.variants.find((x) => x.name === name);
    if (!large || !vl) continue;
    const billed = vl.session.ratio.billedInput;
    lines.push(
      `${name}: billed input on L ${pct(billed)} of monolithic (goal ≤ ${pct(SCALING_GOALS.billedOnL)}): ${verdict(billed <= SCALING_GOALS.billedOnL)}`,
    );
    if (!small || !vs) continue;
    for (const phase of MODEL_PHASES) {
      const growth =
        vs.phases[phase].peakInput === 0 ? 0 : vl.phases[phase].peakInput / vs.phases[phase].peakInput;
      const mono = small.monolithic.phases[phase].peakInput;
      const monoGrowth = mono === 0 ? 0 : large.monolithic.phases[phase].peakInput / mono;
      lines.push(
        `${name}: ${phase} peak context L/S ${growth.toFixed(2)}× (goal ≤ ${SCALING_GOALS.peakGrowthLOverS}×; monolithic ${monoGrowth.toFixed(2)}×): ${verdict(growth <= SCALING_GOALS.peakGrowthLOverS)}`,
      );
    }
  }
  return lines;
}
