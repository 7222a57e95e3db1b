import Anthropic from '@anthropic-ai/sdk';
import { priceFor } from '../../agent/prices.ts';
import { buildCommandEnv } from '../../agent/tools/index.ts';
import { measureIsolation } from '../../bench/isolation-bench.ts';
import type { Comparison } from '../../bench/isolation-figures.ts';
import { TARGETS } from '../../bench/isolation-figures.ts';
import { TOKEN_COUNT_NOTE } from '../../replay/count-tokens.ts';
import { renderTable } from '../../report/render-table.ts';
import type { CliIo } from '../compose.ts';

/** `ipo bench isolation [--json]`: isolated vs monolithic input tokens on the demo scenario, as ratios. */
export async function runIsolationBench(
  io: CliIo,
  env: NodeJS.ProcessEnv,
  options: { json: boolean },
): Promise<number> {
  const report = await measureIsolation({
    env: { PATH: env.PATH, HOME: env.HOME },
    commandEnv: buildCommandEnv(env),
    clientFor: (baseURL) =>
      new Anthropic({ apiKey: 'replay-bench-key', baseURL, maxRetries: 0, logLevel: 'off' }),
  });
  if (options.json) {
    io.out(`${JSON.stringify({ ...report, targets: TARGETS, tokenCounts: TOKEN_COUNT_NOTE }, null, 2)}\n`);
    return 0;
  }
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const row = (name: string, c: Comparison) => [
    name,
    n(c.isolated.peakInput),
    n(c.monolithic.peakInput),
    pct(c.ratio.peakInput),
    n(c.isolated.totalInput),
    n(c.monolithic.totalInput),
    pct(c.ratio.totalInput),
    n(c.isolated.billedInput),
    n(c.monolithic.billedInput),
    pct(c.ratio.billedInput),
  ];
  const table = renderTable(
    [
      [
        'phase',
        'peak iso',
        'peak mono',
        'ratio',
        'total iso',
        'total mono',
        'ratio',
        'billed iso',
        'billed mono',
        'ratio',
      ],
      ...Object.entries(report.phases).map(([phase, c]) => row(phase, c)),
      row('session', report.total),
    ],
    ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
  io.out(
    [
      'Isolation benchmark: the demo scenario run isolated (as built) and monolithic (one conversation, full history),',
      'same replayed responses; input tokens counted by the replay server over the requests really sent.',
      `billed = fresh input + ${multipliers(report.model)}, at ${report.model}'s prices.`,
      TOKEN_COUNT_NOTE,
      '',
      ...table,
      '',
      `Session: peak ${pct(report.total.ratio.peakInput)} of monolithic (target ≤ ${pct(TARGETS.peakInput)}), total ${pct(report.total.ratio.totalInput)} (target ≤ ${pct(TARGETS.totalInput)}).`,
      '',
    ].join('\n'),
  );
  return 0;
}

/** The model's cache multipliers, e.g. `1.25 × cache writes + 0.05 × cache reads`. */
function multipliers(model: string): string {
  const p = priceFor(model);
  const x = (rate: number) => Number((rate / p.input).toFixed(3));
  return `${x(p.cacheWrite)} × cache writes + ${x(p.cacheRead)} × cache reads`;
}
