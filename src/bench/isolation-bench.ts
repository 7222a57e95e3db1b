import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Anthropic from '@anthropic-ai/sdk';
import { DEMO_SCRIPT, demoSession, prepareExampleRepo } from '../cli/commands/demo.ts';
import type { CliIo } from '../cli/compose.ts';
import { alignmentMessage } from '../phases/alignment/alignment-message.ts';
import { implementationMessage } from '../phases/implementation/implementation-message.ts';
import { verificationMessage } from '../phases/verification/verification-message.ts';
import { loadScript } from '../replay/load-script.ts';
import { startReplayServer } from '../replay/replay-server.ts';
import { sessionDir } from '../state/artifact-store.ts';
import { SUBMISSION_SCHEMAS } from '../state/artifacts/index.ts';
import type { EnvelopeOf } from '../state/envelope.ts';
import type { Ledger } from '../state/ledger.ts';
import { type Comparison, compare, figuresOf } from './isolation-figures.ts';
import { runMonolithicBaseline } from './monolithic-baseline.ts';
import { monolithicScript } from './monolithic-script.ts';

const MODEL_PHASES = ['alignment', 'implementation', 'verification'] as const;

export interface IsolationReport {
  /** The model the figures are billed for. */
  model: string;
  phases: Record<(typeof MODEL_PHASES)[number], Comparison>;
  total: Comparison;
}

/**
 * Runs the demo scenario twice in this process: isolated (as built: a process and a fresh context per phase) and
 * monolithic (one conversation carrying everything), both against the same replayed responses, and compares the
 * input tokens each needed. Usage comes from the replay server's tokenizer over the requests really sent.
 */
export async function measureIsolation(params: {
  env: NodeJS.ProcessEnv;
  commandEnv: Record<string, string>;
  clientFor: (baseURL: string) => Anthropic;
}): Promise<IsolationReport> {
  const quiet: CliIo = { out: () => undefined, err: () => undefined, isTTY: false };
  const isolated = await demoSession(quiet, params.env, {});
  const monolithicRepo = await mkdtemp(join(tmpdir(), 'ipo-bench-mono-'));
  const replay = await startReplayServer({
    script: monolithicScript((await loadScript(DEMO_SCRIPT)).conversations),
  });
  try {
    if (isolated.exitCode !== 0) throw new Error('the isolated demo session did not complete');
    const dir = sessionDir(isolated.repo, isolated.session);
    const read = async (file: string) => JSON.parse(await readFile(join(dir, file), 'utf8'));
    const ledger = (await read('session.json')) as Ledger;
    const alignment = ((await read('alignment.json')) as EnvelopeOf<'alignment'>).body;
    const implementation = ((await read('implementation.json')) as EnvelopeOf<'implementation'>).body;
    const verification = ((await read('verification.json')) as EnvelopeOf<'verification'>).body;

    await prepareExampleRepo(monolithicRepo);
    const model = ledger.runs.find((r) => r.metrics)?.metrics?.model ?? 'claude-sonnet-5-5';
    const monolithic = await runMonolithicBaseline({
      client: params.clientFor(replay.url),
      model,
      workspace: monolithicRepo,
      commandEnv: params.commandEnv,
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
    const isolatedCalls = (phase: string) =>
      ledger.runs.filter((r) => r.phase === phase).flatMap((r) => r.metrics?.calls ?? []);
    const phases = Object.fromEntries(
      MODEL_PHASES.map((phase) => [
        phase,
        compare(figuresOf(isolatedCalls(phase), model), figuresOf(monolithic[phase] ?? [], model)),
      ]),
    ) as IsolationReport['phases'];
    const total = compare(
      figuresOf(
        MODEL_PHASES.flatMap((p) => isolatedCalls(p)),
        model,
      ),
      figuresOf(
        MODEL_PHASES.flatMap((p) => monolithic[p] ?? []),
        model,
      ),
    );
    return { model, phases, total };
  } finally {
    await replay.close();
    await rm(monolithicRepo, { recursive: true, force: true });
    await rm(isolated.repo, { recursive: true, force: true });
  }
}
