import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { priceFor } from '../../agent/prices.ts';
import { buildCommandEnv } from '../../agent/tools/index.ts';
import { type BenchReport, MODEL_PHASES, type ScenarioReport } from '../../bench/bench-report.ts';
import { type BenchScenario, measureScenario } from '../../bench/isolation-bench.ts';
import { renderPlot } from '../../bench/render-plot.ts';
import { scalingGoalLines } from '../../bench/scaling-goals.ts';
import { builtInScenario } from '../../bench/scenarios/built-in-scenario.ts';
import { SCENARIO_SIZES, type ScenarioSize } from '../../bench/scenarios/generate-scenario.ts';
import { UserError } from '../../local/user-error.ts';
import { TOKEN_COUNT_NOTE } from '../../replay/count-tokens.ts';
import { loadScript } from '../../replay/load-script.ts';
import { renderTable } from '../../report/render-table.ts';
import type { CliIo } from '../compose.ts';

export interface IsolationBenchOptions {
  json: boolean;
  /** A repository and a replay script of a whole session on `task` in it, instead of the bundled scenarios. */
  repo?: string;
  script?: string;
  task?: string;
  /** Bundled scenario sizes to run (default S, M, L). */
  sizes?: string;
  /** Directory for the SVG plot and the JSON report. */
  out?: string;
}

/**
 * `ipo bench isolation`: monolithic vs isolated input tokens, per phase and per session, on the bundled S/M/L
 * scenarios or on a repository and script the person passes; figures as ratios of the monolithic run.
 */
export async function runIsolationBench(
  io: CliIo,
  env: NodeJS.ProcessEnv,
  options: IsolationBenchOptions,
): Promise<number> {
  const scenarios = await scenariosOf(options);
  const reports: ScenarioReport[] = [];
  for (const scenario of scenarios) {
    reports.push(
      await measureScenario({
        scenario,
        env: { PATH: env.PATH, HOME: env.HOME },
        commandEnv: buildCommandEnv(env),
        clientFor: (baseURL) =>
          new Anthropic({ apiKey: 'replay-bench-key', baseURL, maxRetries: 0, logLevel: 'off' }),
      }),
    );
  }
  const report: BenchReport = { scenarios: reports, tokenCounts: TOKEN_COUNT_NOTE };
  if (options.out) {
    const out = resolve(options.out);
    await mkdir(out, { recursive: true });
    report.plot = join(out, 'isolation-bench.svg');
    await writeFile(report.plot, renderPlot(reports));
    await writeFile(join(out, 'isolation-bench.json'), `${JSON.stringify(report, null, 2)}\n`);
  }
  io.out(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report));
  return 0;
}

async function scenariosOf(options: IsolationBenchOptions): Promise<BenchScenario[]> {
  if (options.repo !== undefined || options.script !== undefined) {
    if (!options.repo || !options.script || !options.task) {
      throw new UserError(
        '--repo, --script and --task go together: the repository, a replay script of a whole session in it (see examples/demo-replay.yaml), and the roadmap task the script works on',
        2,
      );
    }
    const repo = resolve(options.repo);
    const isDir = await stat(repo).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isDir)
      throw new UserError(`--repo ${options.repo}: not a directory; pass the repository to copy`, 2);
    const script = await loadScript(resolve(options.script)).catch((error: unknown) => {
      throw new UserError(`--script: ${error instanceof Error ? error.message : String(error)}`, 2);
    });
    return [{ name: options.script, source: repo, task: options.task, script }];
  }
  const sizes = (options.sizes ?? SCENARIO_SIZES.join(',')).split(',').map((s) => s.trim().toUpperCase());
  const bad = sizes.find((s) => !(SCENARIO_SIZES as readonly string[]).includes(s));
  if (bad !== undefined) {
    throw new UserError(
      `--sizes: unknown size "${bad}"; use a comma-separated list of ${SCENARIO_SIZES.join(', ')}`,
      2,
    );
  }
  return Promise.all(sizes.map((size) => builtInScenario(size as ScenarioSize)));
}

/** The printed report: one table per scenario, then the session ratios of every scenario side by side. */
export function renderReport(report: BenchReport): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const lines: string[] = [
    'Isolation benchmark: each scenario run monolithic (one conversation, full history) and isolated (a process and a',
    'fresh context per phase) per config variant, all replaying the same responses; input tokens counted by the',
    'replay server over the requests really sent. Ratios are against the monolithic run of the same scenario.',
    TOKEN_COUNT_NOTE,
  ];
  for (const s of report.scenarios) {
    lines.push(
      '',
      `Scenario ${s.scenario}: ${s.monolithic.session.calls} model calls; billed = fresh input + ${multipliers(s.model)}, at ${s.model}'s prices.`,
    );
    const rows: string[][] = [];
    for (const scope of [...MODEL_PHASES, 'session'] as const) {
      const mono = scope === 'session' ? s.monolithic.session : s.monolithic.phases[scope];
      rows.push([
        scope,
        'monolithic',
        n(mono.calls),
        n(mono.peakInput),
        '',
        n(mono.totalInput),
        '',
        n(mono.billedInput),
        '',
        '',
      ]);
      for (const v of s.variants) {
        const f = scope === 'session' ? v.session : v.phases[scope];
        const handoff = scope === 'session' ? '' : n(v.handoffTokens[scope]);
        rows.push([
          '',
          v.name,
          n(f.calls),
          n(f.peakInput),
          pct(f.ratio.peakInput),
          n(f.totalInput),
          pct(f.ratio.totalInput),
          n(f.billedInput),
          pct(f.ratio.billedInput),
          handoff,
        ]);
      }
    }
    lines.push(
      ...renderTable(
        [
          ['phase', 'run', 'calls', 'peak', '÷mono', 'total in', '÷mono', 'billed in', '÷mono', 'handoff'],
          ...rows,
        ],
        ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
      ),
    );
  }
  if (report.scenarios.length > 1) {
    lines.push('', 'Session figures of each isolated variant as a share of monolithic, by scenario:');
    const variantNames = report.scenarios[0]?.variants.map((v) => v.name) ?? [];
    lines.push(
      ...renderTable(
        [
          ['scenario', 'calls', 'mono billed', ...variantNames.flatMap((v) => [`${v}: peak`, 'billed'])],
          ...report.scenarios.map((s) => [
            s.scenario,
            n(s.monolithic.session.calls),
            n(s.monolithic.session.billedInput),
            ...variantNames.flatMap((name) => {
              const v = s.variants.find((x) => x.name === name);
              return v ? [pct(v.session.ratio.peakInput), pct(v.session.ratio.billedInput)] : ['', ''];
            }),
          ]),
        ],
        ['left', 'right', 'right', ...variantNames.flatMap(() => ['right', 'right'] as const)],
      ),
    );
  }
  lines.push('', 'Goals (issue 15):', ...scalingGoalLines(report));
  if (report.plot) lines.push('', `Plot: ${report.plot}`);
  return `${lines.join('\n')}\n`;
}

/** The model's cache multipliers, e.g. `1.25 × cache writes + 0.05 × cache reads`. */
function multipliers(model: string): string {
  const p = priceFor(model);
  const x = (rate: number) => Number((rate / p.input).toFixed(3));
  return `${x(p.cacheWrite)} × cache writes + ${x(p.cacheRead)} × cache reads`;
}
