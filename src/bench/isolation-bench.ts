import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Anthropic from '@anthropic-ai/sdk';
import type { CallMetrics } from '../agent/metrics.ts';
import { PHASES } from '../core/phases.ts';
import { alignmentMessage } from '../phases/alignment/alignment-message.ts';
import { implementationMessage } from '../phases/implementation/implementation-message.ts';
import { verificationMessage } from '../phases/verification/verification-message.ts';
import { countTokens } from '../replay/count-tokens.ts';
import { startReplayServer } from '../replay/replay-server.ts';
import type { ReplayScript } from '../replay/script-schema.ts';
import { sandboxHostFrom } from '../sandbox/open-sandbox.ts';
import { SUBMISSION_SCHEMAS } from '../state/artifacts/index.ts';
import { MODEL_PHASES, type ModelPhase, type ScenarioReport } from './bench-report.ts';
import { type IsolatedRun, runIsolatedSession } from './isolated-session.ts';
import { compare, figuresOf, type TokenFigures } from './isolation-figures.ts';
import { runMonolithicBaseline } from './monolithic-baseline.ts';
import { monolithicScript } from './monolithic-script.ts';
import { deepMerge, prepareScenarioRepo } from './scenarios/scenario-repo.ts';
import { checkScriptFits } from './script-fits.ts';

/** A repository, a task in it, and the replayed responses of a whole session on that task. */
export interface BenchScenario {
  name: string;
  /** Directory copied (without .git) and committed as the session's base. */
  source: string;
  task: string;
  script: ReplayScript;
  /** Written over the copy before the base commit. */
  files?: Record<string, string>;
  /** Merged into the copy's `.github/ipo.yml` (every variant's config goes over it). */
  config?: Record<string, unknown>;
}

/** One way to run the isolated session: a config written over the scenario repository's `.github/ipo.yml`. */
export interface BenchVariant {
  name: string;
  config: Record<string, unknown>;
}

/**
 * The isolated variants measured. Once per-phase context management (`phases.<phase>.context`, on by default)
 * exists, "management off" sets it off in every phase here; until then the config has no such key and the two
 * variants measure the same thing.
 */
export const ISOLATED_VARIANTS: readonly BenchVariant[] = [
  {
    name: 'isolated, management off',
    config: {
      phases: Object.fromEntries(PHASES.map((phase) => [phase, { context: { strategy: 'off' } }])),
    },
  },
  // Context management on, as every phase has it by default (`phases.<phase>.context`).
  { name: 'isolated, default config', config: {} },
];

/**
 * Runs the scenario in this process: once isolated per variant (a process and a fresh context per phase, as built)
 * and once monolithic (one conversation carrying everything), all against the same replayed responses, and
 * compares the input tokens each needed. Usage comes from the replay server's tokenizer over the requests sent.
 */
export async function measureScenario(params: {
  scenario: BenchScenario;
  variants?: readonly BenchVariant[];
  env: NodeJS.ProcessEnv;
  commandEnv: Record<string, string>;
  clientFor: (baseURL: string) => Anthropic;
}): Promise<ScenarioReport> {
  const { scenario } = params;
  const variants = params.variants ?? ISOLATED_VARIANTS;
  const dirs: string[] = [];
  const prepare = async (config: Record<string, unknown>) => {
    const dir = await mkdtemp(join(tmpdir(), 'ipo-bench-'));
    dirs.push(dir);
    await prepareScenarioRepo(scenario.source, dir, { files: scenario.files ?? {}, config });
    return dir;
  };
  try {
    await checkScriptFits(scenario.script, scenario.source, scenario.name, scenario.files);
    const monolithicRepo = await prepare(scenario.config ?? {});
    const runs: { variant: BenchVariant; run: IsolatedRun }[] = [];
    for (const variant of variants) {
      const repo = await prepare(deepMerge(scenario.config ?? {}, variant.config));
      runs.push({
        variant,
        run: await runIsolatedSession({
          repo,
          task: scenario.task,
          script: scenario.script,
          env: params.env,
        }),
      });
    }
    const first = runs[0]?.run;
    if (!first) throw new Error('measureScenario: no isolated variant to measure');
    const model = first.ledger.runs.find((r) => r.metrics)?.metrics?.model ?? 'claude-sonnet-5-5';
    const monolithic = await runMonolithic(params, first, monolithicRepo, model);
    const monoFigures = Object.fromEntries(
      MODEL_PHASES.map((phase) => [phase, figuresOf(monolithic[phase] ?? [], model)]),
    ) as Record<ModelPhase, TokenFigures>;
    const monoSession = figuresOf(
      MODEL_PHASES.flatMap((p) => monolithic[p] ?? []),
      model,
    );
    return {
      scenario: scenario.name,
      model,
      monolithic: { phases: monoFigures, session: monoSession },
      variants: runs.map(({ variant, run }) => {
        const calls = (phase: ModelPhase) =>
          run.ledger.runs.filter((r) => r.phase === phase).flatMap((r) => r.metrics?.calls ?? []);
        const withRatio = (iso: TokenFigures, mono: TokenFigures) => ({
          ...iso,
          ratio: compare(iso, mono).ratio,
        });
        return {
          name: variant.name,
          config: variant.config,
          phases: Object.fromEntries(
            MODEL_PHASES.map((phase) => [
              phase,
              withRatio(figuresOf(calls(phase), model), monoFigures[phase]),
            ]),
          ) as ScenarioReport['variants'][number]['phases'],
          session: withRatio(figuresOf(MODEL_PHASES.flatMap(calls), model), monoSession),
          handoffTokens: {
            alignment: countTokens(JSON.stringify(run.alignment)),
            implementation: countTokens(JSON.stringify(run.implementation)),
            verification: countTokens(JSON.stringify(run.verification)),
          },
        };
      }),
    };
  } finally {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  }
}

/** The monolithic baseline on its own copy, given the same first messages the isolated phases received. */
async function runMonolithic(
  params: Parameters<typeof measureScenario>[0],
  isolated: IsolatedRun,
  repo: string,
  model: string,
): Promise<Record<string, CallMetrics[]>> {
  const replay = await startReplayServer({ script: monolithicScript(params.scenario.script.conversations) });
  try {
    const { ledger, alignment, implementation, verification } = isolated;
    return await runMonolithicBaseline({
      client: params.clientFor(replay.url),
      model,
      workspace: repo,
      commandEnv: params.commandEnv,
      sandboxHost: sandboxHostFrom(params.env),
      phases: [
        {
          phase: 'alignment',
          message: alignmentMessage(ledger, alignment.specRef.path, alignment.specRef.blobSha),
          schema: SUBMISSION_SCHEMAS.alignment,
        },
        {
          phase: 'implementation',
          message: implementationMessage(ledger, alignment),
          schema: SUBMISSION_SCHEMAS.implementation,
        },
        {
          phase: 'verification',
          message: verificationMessage(ledger, alignment, implementation, verification.checks),
          schema: SUBMISSION_SCHEMAS.verification,
        },
      ],
    });
  } finally {
    await replay.close();
  }
}
