/**
 * `npm run bench`: every benchmark, each reported as a ratio against a baseline measured in the same run.
 * Figures are printed, never asserted: speed goals live here, not in unit tests.
 */
import { composeCli } from '../src/cli/compose.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0;
const median = (xs: number[]) => percentile(xs, 0.5);

const only = process.argv[2];

if (!only || only === 'isolation') {
  // The same report as `ipo bench isolation`: one set-up and one printout for both.
  const { runIsolationBench } = await import('../src/cli/commands/bench-isolation.ts');
  const { io, env } = composeCli();
  await runIsolationBench(io, env, { json: false, out: 'bench-out' });
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

if (!only || only === 'sandbox') {
  const { measureSandboxCost } = await import('./sandbox-cost.ts');
  const rounds = 11;
  const cost = await measureSandboxCost(rounds);
  const a = median(cost.sandboxedMs);
  const b = median(cost.unsandboxedMs);
  console.log(
    `sandbox cost per command (\`${cost.command}\` in examples/demo-repo, bwrap vs bare, median of ${rounds}):`,
  );
  console.log(
    `  ${a.toFixed(0)} ms vs ${b.toFixed(0)} ms unsandboxed → ${(a / b).toFixed(2)}× baseline (goal ≤ 1.2×)`,
  );
  const { measureProxyCost } = await import('./proxy-cost.ts');
  const proxy = await measureProxyCost(rounds);
  console.log(`sandbox.network.allow (bridge + proxy, median of ${rounds}):`);
  console.log(
    `  bridge start: \`true\` ${median(proxy.bridgedMs).toFixed(0)} ms with an allowlist vs ${median(proxy.plainMs).toFixed(0)} ms without`,
  );
  console.log(
    `  one curl request: ${median(proxy.proxiedRequestMs).toFixed(0)} ms through the proxy (beyond the empty command) vs ${median(proxy.directRequestMs).toFixed(0)} ms bare (a whole unsandboxed curl)`,
  );
}

if (!only || only === 'webhook') {
  const { measureWebhookDispatch } = await import('./webhook-dispatch.ts');
  const w = await measureWebhookDispatch(200);
  const row = (name: string, f: { latencies: number[]; throughput: number; rounds: number }) =>
    `  ${name.padEnd(20)} p50 ${median(f.latencies).toFixed(1).padStart(5)} ms  p99 ${percentile(f.latencies, 0.99).toFixed(1).padStart(5)} ms  ${f.throughput.toFixed(0).padStart(4)}/s  ${f.rounds} rounds before the dispatch`;
  console.log(
    'webhook → dispatch (signed comment POSTed to Probot → dispatch at the local GitHub on its own thread; 200 sequential, then 8 in flight; a new issue each):',
  );
  console.log(row('ipo, start', w.ipo));
  console.log(row('ipo, proceed', w.ipoProceed));
  console.log(row('bare (1 call)', w.bare));
  console.log(row('same calls, start', w.sameCalls));
  console.log(row('same calls, proceed', w.sameCallsProceed));
  const p99 = (f: { latencies: number[] }) => `${percentile(f.latencies, 0.99).toFixed(1)} ms`;
  console.log(
    `  ipo throughput vs the same-calls app: start ${pct(w.ipo.throughput / w.sameCalls.throughput)}, proceed ${pct(w.ipoProceed.throughput / w.sameCallsProceed.throughput)} (goal ≥ 90%); vs the bare app: start ${pct(w.ipo.throughput / w.bare.throughput)}, proceed ${pct(w.ipoProceed.throughput / w.bare.throughput)}`,
  );
  console.log(
    `  rounds before the dispatch: start ${w.ipo.rounds} (goal ≤ 4), proceed ${w.ipoProceed.rounds} (goal ≤ 3)`,
  );
  console.log(`  ipo p99: start ${p99(w.ipo)}, proceed ${p99(w.ipoProceed)} (target ≤ 50 ms)`);
}
