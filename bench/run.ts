/**
 * `npm run bench`: every benchmark, each reported as a ratio against a baseline measured in the same run.
 * Figures are printed, never asserted: speed goals live here, not in unit tests.
 */
import Anthropic from '@anthropic-ai/sdk';
import { buildCommandEnv } from '../src/agent/tools/index.ts';
import { measureIsolation } from '../src/bench/isolation-bench.ts';
import { TARGETS } from '../src/bench/isolation-figures.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0;

const only = process.argv[2];

if (!only || only === 'isolation') {
  const iso = await measureIsolation({
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    commandEnv: buildCommandEnv(process.env),
    clientFor: (baseURL) =>
      new Anthropic({ apiKey: 'replay-bench', baseURL, maxRetries: 0, logLevel: 'off' }),
  });
  console.log('isolation (demo scenario, isolated vs one monolithic conversation):');
  for (const [phase, c] of Object.entries(iso.phases)) {
    console.log(
      `  ${phase.padEnd(15)} peak ${pct(c.ratio.peakInput).padStart(6)}  total ${pct(c.ratio.totalInput).padStart(6)}  billed ${pct(c.ratio.billedInput).padStart(6)}`,
    );
  }
  const t = iso.total;
  console.log(
    `  ${'session'.padEnd(15)} peak ${pct(t.ratio.peakInput).padStart(6)}  total ${pct(t.ratio.totalInput).padStart(6)}  billed ${pct(t.ratio.billedInput).padStart(6)}   (targets: peak ≤ ${pct(TARGETS.peakInput)}, total ≤ ${pct(TARGETS.totalInput)})`,
  );
  console.log(
    `  absolute: peak ${t.isolated.peakInput} vs ${t.monolithic.peakInput} tokens, total ${t.isolated.totalInput} vs ${t.monolithic.totalInput}`,
  );
}

if (!only || only === 'action-start') {
  const { measureActionStart } = await import('./action-start.ts');
  const start = await measureActionStart(5);
  const a = median(start.actionMs);
  const b = median(start.baselineMs);
  console.log('action start (spawn of dist/index.js → first model request, alignment, median of 5):');
  console.log(
    `  ${a.toFixed(0)} ms vs bare node ${b.toFixed(0)} ms → ${(a / b).toFixed(1)}× baseline (target ≤ 2000 ms absolute)`,
  );
}

if (!only || only === 'webhook') {
  const { measureWebhookDispatch } = await import('./webhook-dispatch.ts');
  const w = await measureWebhookDispatch(200);
  const row = (name: string, f: { latencies: number[]; throughput: number }) =>
    `  ${name.padEnd(16)} p50 ${median(f.latencies).toFixed(1).padStart(5)} ms  p99 ${percentile(f.latencies, 0.99).toFixed(1).padStart(5)} ms  ${f.throughput.toFixed(0).padStart(4)}/s`;
  console.log(
    'webhook → dispatch (signed comment POSTed to Probot → dispatch at the local GitHub on its own thread; 200 sequential, then 8 in flight; a new issue each):',
  );
  console.log(row('ipo, start', w.ipo));
  console.log(row('ipo, proceed', w.ipoProceed));
  console.log(row('bare (1 call)', w.bare));
  console.log(row('same calls', w.sameCalls));
  const p99 = (f: { latencies: number[] }) => `${percentile(f.latencies, 0.99).toFixed(1)} ms`;
  console.log(
    `  ipo throughput vs the bare app: start ${pct(w.ipo.throughput / w.bare.throughput)}, proceed ${pct(w.ipoProceed.throughput / w.bare.throughput)} (target ≥ 80%); start vs the same-calls app ${pct(w.ipo.throughput / w.sameCalls.throughput)}`,
  );
  console.log(`  ipo p99: start ${p99(w.ipo)}, proceed ${p99(w.ipoProceed)} (target ≤ 50 ms)`);
}
