import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PhaseJobResult } from '../job/run-phase-job.ts';
import type { ActionInputs } from './action-inputs.ts';

export interface ActionOutputs {
  status: string;
  verdict: string;
  session: string;
  'artifact-name': string;
  'input-tokens': string;
  'output-tokens': string;
  'cache-read-tokens': string;
  'cost-usd': string;
  'head-sha': string;
}

/** The step outputs of action.yml, from the run's ledger and artifact. */
export async function actionOutputs(inputs: ActionInputs, result: PhaseJobResult): Promise<ActionOutputs> {
  const run = result.ledger.runs.find((r) => r.phase === inputs.phase && r.attempt === result.attempt);
  const metrics = run?.metrics;
  return {
    status: result.outcome,
    verdict: await verdictOf(inputs, result),
    session: inputs.session,
    'artifact-name': `ipo-${inputs.session}-${inputs.phase}-${result.attempt}`,
    'input-tokens': String(
      metrics ? metrics.inputTokens + metrics.cacheCreationInputTokens + metrics.cacheReadInputTokens : 0,
    ),
    'output-tokens': String(metrics?.outputTokens ?? 0),
    'cache-read-tokens': String(metrics?.cacheReadInputTokens ?? 0),
    'cost-usd': (metrics?.costUsd ?? 0).toFixed(4),
    'head-sha': result.head,
  };
}

async function verdictOf(inputs: ActionInputs, result: PhaseJobResult): Promise<string> {
  if (!result.digest || (inputs.phase !== 'alignment' && inputs.phase !== 'verification')) return '';
  const artifact = JSON.parse(await readFile(join(inputs.outDir, `${inputs.phase}.json`), 'utf8')) as {
    body: { verdict?: string };
  };
  return artifact.body.verdict ?? '';
}
