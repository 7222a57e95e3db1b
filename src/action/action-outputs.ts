import { contextTokens } from '../agent/metrics.ts';
import type { PhaseReport } from '../job/run-phase-job.ts';
import { findRun } from '../session/ledger-ops.ts';
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
export function actionOutputs(
  inputs: Pick<ActionInputs, 'session' | 'phase'>,
  result: PhaseReport,
): ActionOutputs {
  const run = findRun(result.ledger, inputs.phase, result.attempt);
  const metrics = run?.metrics;
  return {
    status: result.outcome,
    verdict: verdictOf(result),
    session: inputs.session,
    'artifact-name': `ipo-${inputs.session}-${inputs.phase}-${result.attempt}`,
    'input-tokens': String(metrics ? contextTokens(metrics) : 0),
    'output-tokens': String(metrics?.outputTokens ?? 0),
    'cache-read-tokens': String(metrics?.cacheReadInputTokens ?? 0),
    'cost-usd': (metrics?.costUsd ?? 0).toFixed(4),
    'head-sha': result.head,
  };
}

/** Alignment and verification bodies carry a verdict; the other phases' do not. */
function verdictOf(result: PhaseReport): string {
  const body = result.body as { verdict?: unknown } | undefined;
  return typeof body?.verdict === 'string' ? body.verdict : '';
}
