import type Anthropic from '@anthropic-ai/sdk';
import type { Octokit } from '@octokit/rest';
import type { OverloadRetryPolicy } from '../agent/overload-retry.ts';
import { IPO_IDENTITY } from '../git/git.ts';
import { readExport } from '../job/phase-export.ts';
import { runPhaseJob } from '../job/run-phase-job.ts';
import type { SandboxHost } from '../sandbox/open-sandbox.ts';
import { loadPhaseSkill } from '../settings/load-settings.ts';
import type { ActionInputs } from './action-inputs.ts';
import { actionOutputs } from './action-outputs.ts';
import { bundleAgentCommits } from './agent-commits.ts';
import { loadRunState } from './load-run-state.ts';
import { reportToGitHub } from './report-to-github.ts';
import type { StepParams, StepResult } from './step-params.ts';

export interface ActionParams extends StepParams {
  inputs: ActionInputs;
  /** A read-only token's client: this step writes nothing on GitHub. */
  octokit: Octokit;
  anthropic: Anthropic;
  commandEnv: Record<string, string>;
  /** Longer 529 retries after the SDK's own; absent, only the SDK retries. */
  overloadRetry?: OverloadRetryPolicy;
  sandboxHost: SandboxHost;
}

export type ActionResult = StepResult;

/**
 * The agent step of a phase on a clean runner: settings from the default branch, the command comments verified,
 * state verified and caught up with exactly those commands, the phase run through the same job as the CLI. It
 * publishes nothing: its out-dir (state, and for implementation and commit the commits as a bundle) is what the
 * write job checks and then pushes, and only the write job holds write credentials and the state key.
 */
export async function main(p: ActionParams): Promise<ActionResult> {
  const { inputs } = p;
  const state = await loadRunState(p);
  p.log.info(
    `session ${state.ledger.session}: running ${inputs.phase} attempt ${inputs.attempt} at ${state.headSha.slice(0, 7)}`,
  );
  const dispatching = state.commands.at(-1)?.command;
  // A retry's or an approval's feedback lines, read from the verified command comment itself.
  const feedback =
    dispatching?.name === 'retry' || dispatching?.name === 'proceed' ? dispatching.feedback : undefined;
  const result = await runPhaseJob({
    phase: inputs.phase,
    stateDir: state.workDir,
    outDir: inputs.outDir,
    // The next phase downloads only this run's artifact, so it carries every earlier artifact too.
    carryArtifacts: true,
    workspace: p.workspace,
    config: state.config,
    skill: (await loadPhaseSkill(state.settings, inputs.phase)).text,
    ...(feedback ? { feedback } : {}),
    model: { client: p.anthropic, ...(p.overloadRetry ? { overloadRetry: p.overloadRetry } : {}) },
    commandEnv: p.commandEnv,
    sandboxHost: p.sandboxHost,
    redact: p.redact,
    identity: IPO_IDENTITY,
    now: p.now,
  });
  // Before anything is added to it: the out-dir must still hold exactly what the job wrote. A process a command left
  // behind could have rewritten it; then the job fails here and nothing is uploaded. (The earlier artifacts were
  // carried by the job itself, digest-checked before any command ran.)
  await readExport(inputs.outDir, result.exported);
  if (result.outcome === 'succeeded' && (inputs.phase === 'implementation' || inputs.phase === 'commit')) {
    // Checked by the write job against the ledger's head and the approved sha, whatever wrote it.
    await bundleAgentCommits(p.workspace, inputs.outDir, { start: state.headSha, head: result.head });
  }
  await reportToGitHub(p, result, { statusComment: false });
  return { outputs: actionOutputs(inputs, result), message: result.message };
}
