import type Anthropic from '@anthropic-ai/sdk';
import type { AgentEvent } from '../agent/agent-types.ts';
import type { OverloadRetryPolicy } from '../agent/overload-retry.ts';
import type { TranscriptEntry } from '../agent/transcript.ts';
import type { Phase } from '../core/phases.ts';
import type { PhaseOutcome } from '../core/session/apply-phase-result.ts';
import type { GitIdentity } from '../git/git.ts';
import type { SandboxHost } from '../sandbox/open-sandbox.ts';
import type { ArtifactBody } from '../state/artifacts/index.ts';
import type { Config } from '../state/config.ts';
import type { Ledger } from '../state/ledger.ts';
import type { Metrics } from '../state/metrics.ts';

/** The bodies of the artifacts a phase declared as inputs (and nothing else). */
export type PhaseInputs = { [P in Phase]?: ArtifactBody<P> };

/** What became of the phase's sandbox: `unsandboxed` says why its commands ran without one (config opted out). */
export interface SandboxUse {
  unsandboxed?: string;
}

/** Everything one isolated phase run may use. Built by the job; the runner does no other I/O set-up. */
export interface PhaseContext {
  ledger: Ledger;
  attempt: number;
  inputs: PhaseInputs;
  /** A git checkout for the phase: the session branch, or a clean detached checkout for verification. */
  workspace: string;
  config: Config;
  /** The phase skill (system prompt). */
  skill: string;
  /** A person's feedback given with `retry <phase>` or `proceed to <phase>`. */
  feedback?: string;
  model: {
    client: Anthropic;
    onEvent?: (event: AgentEvent) => void;
    /** Longer 529 retries after the SDK's own (`DEFAULT_OVERLOAD_RETRY`); absent, only the SDK retries. */
    overloadRetry?: OverloadRetryPolicy;
  };
  /** Environment for commands the phase or its agent runs: an allowlist without any secret. */
  commandEnv: Record<string, string>;
  /** Where the OS sandbox for those commands comes from (`openSandbox` with `config.sandbox`). */
  sandboxHost: SandboxHost;
  /** Filled by `openPhaseSandbox`; the job reads it after the phase ended, however it ended (a throw included). */
  sandboxUse: SandboxUse;
  redact: (text: string) => string;
  identity: GitIdentity;
  now: () => Date;
}

/** How a phase run ended, with what it exports. */
export interface PhaseOutput<P extends Phase> {
  outcome: PhaseOutcome;
  /** The artifact body; also exported when blocked (its questions/gaps are what the person needs). */
  body?: ArtifactBody<P>;
  /** Why the run failed or blocked. */
  message?: string;
  /** Session-branch head after the run. */
  head: string;
  metrics?: Metrics;
  transcript: TranscriptEntry[];
}

export type PhaseRunner<P extends Phase> = (ctx: PhaseContext) => Promise<PhaseOutput<P>>;

/** The input a phase declared; a missing one is a bug in the job, reported with the phase names. */
export function requireInput<P extends Phase>(ctx: PhaseContext, phase: P, by: Phase): ArtifactBody<P> {
  const body = ctx.inputs[phase] as ArtifactBody<P> | undefined;
  if (!body) throw new Error(`${by} needs the ${phase} artifact, but it was not among the inputs`);
  return body;
}
