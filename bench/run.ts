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
  console.log('webhook → dispatch (signed issue_comment POST → workflow dispatch at the local GitHub):');
  console.log(
    `  ipo app: p50 ${median(w.app).toFixed(1)} ms, p99 ${percentile(w.app, 0.99).toFixed(1)} ms, ${w.appThroughput.toFixed(0)}/s`,
  );
  console.log(
    `  bare app: p50 ${median(w.bare).toFixed(1)} ms, p99 ${percentile(w.bare, 0.99).toFixed(1)} ms, ${w.bareThroughput.toFixed(0)}/s`,
  );
  console.log(
    `  throughput ${pct(w.appThroughput / w.bareThroughput)} of the bare app (target ≥ 80%); p99 target ≤ 50 ms`,
  );
}
