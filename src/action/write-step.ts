import type { Octokit } from '@octokit/rest';
import { GitError } from '../git/git.ts';
import type { PhaseReport } from '../job/run-phase-job.ts';
import { recordRunResult } from '../session/ledger-ops.ts';
import { ArtifactStore } from '../state/artifact-store.ts';
import type { Envelope, EnvelopeOf } from '../state/envelope.ts';
import { artifactFileName } from '../state/parse-document.ts';
import type { WriteInputs } from './action-inputs.ts';
import { actionOutputs } from './action-outputs.ts';
import { importAgentCommits, isWorkflowPushRefusal, workflowTokenRefusal } from './agent-commits.ts';
import { AgentOutputRefusal } from './agent-output-refusal.ts';
import { checkImplementationFacts } from './check-implementation-facts.ts';
import { copyArtifacts } from './copy-artifacts.ts';
import { loadRunState } from './load-run-state.ts';
import { publishResult } from './publish-result.ts';
import { type AgentResult, readAgentResult } from './read-agent-result.ts';
import { reportToGitHub } from './report-to-github.ts';
import type { StepParams, StepResult } from './step-params.ts';

export interface WriteParams extends StepParams {
  inputs: WriteInputs;
  /** A checkout of the approved commit (never built or run): the agent's commits are imported into it. */
  workspace: string;
  remoteUrl: string;
  /** The write token's client. */
  octokit: Octokit;
}

export type WriteResult = StepResult;

/**
 * The write job: no model, no repository code. It rebuilds the run's starting ledger itself (the previous run's
 * state against the sealed status comment, the verified commands), takes from the agent job only the phase's
 * result and artifact after checking them (`readAgentResult`) and, for implementation and commit, the commits after
 * checking them (`importAgentCommits`); only then pushes `ipo/<session>`, opens or updates the PR, records the
 * run in the ledger it exports and seals the status comment. A refused output is recorded as a failed run, so the
 * person can retry, and nothing is pushed.
 */
export async function writeStep(p: WriteParams): Promise<WriteResult> {
  const { inputs } = p;
  if (!p.trust.key) {
    p.log.warning(
      'no state-key input (secret IPO_STATE_KEY): the status comment is written unsigned, so anyone with write ' +
        'access could alter the session state it holds; where the app has a key it will refuse this comment',
    );
  }
  const state = await loadRunState(p);
  const { ledger } = state;
  const startHead = ledger.bases[inputs.phase] ?? state.headSha;
  let agent: AgentResult;
  const notices: string[] = [];
  let read: AgentResult | undefined;
  try {
    read = await readAgentResult(inputs.agentDir, ledger, inputs.phase, inputs.attempt);
    agent = read.outcome === 'succeeded' ? await publish(p, state, read, notices) : read;
  } catch (error) {
    if (!(error instanceof AgentOutputRefusal) && !isPublishFailure(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    agent = {
      outcome: 'failed',
      head: startHead,
      error: p.redact(
        error instanceof AgentOutputRefusal
          ? `the write job refused the agent job's output: ${reason}; nothing was pushed — say \`retry ${inputs.phase}\` to run the phase again`
          : `publishing the result failed: ${reason}`,
      ),
      // A refused output still ran its commands: whether they were sandboxed stays on the record.
      ...(read?.unsandboxed ? { unsandboxed: read.unsandboxed } : {}),
    };
  }
  const out = new ArtifactStore(inputs.outDir);
  const digest = agent.envelope ? await out.writeArtifact(agent.envelope) : undefined;
  const at = p.now().toISOString();
  const recorded = recordRunResult(ledger, {
    phase: inputs.phase,
    attempt: inputs.attempt,
    outcome: agent.outcome,
    at,
    head: agent.head,
    ...(digest ? { digest, output: { name: artifactFileName(inputs.phase), sha256: digest } } : {}),
    ...(agent.metrics ? { metrics: agent.metrics } : {}),
    ...(agent.unsandboxed ? { unsandboxed: agent.unsandboxed } : {}),
    ...(agent.outcome === 'failed' && agent.error ? { error: agent.error } : {}),
    ...(agent.outcome === 'blocked' && agent.error ? { reason: agent.error } : {}),
  });
  await out.writeLedger(recorded.ledger);
  // The next phase downloads only this run's artifact, so it carries every earlier artifact too — from the
  // previous run's verified state, never from the agent job's upload.
  await copyArtifacts(state.workDir, inputs.outDir);
  const result: PhaseReport = {
    outcome: agent.outcome,
    message: agent.outcome === 'succeeded' ? recorded.message : (agent.error ?? recorded.message),
    ledger: recorded.ledger,
    attempt: inputs.attempt,
    head: agent.head,
    ...(digest && agent.envelope ? { digest, body: agent.envelope.body } : {}),
  };
  await reportToGitHub(p, result, { statusComment: true, notices });
  return { outputs: actionOutputs(inputs, result), message: result.message };
}

/** Implementation and commit: the agent's commits checked and pushed, the PR opened or marked ready. */
async function publish(
  p: WriteParams,
  state: Awaited<ReturnType<typeof loadRunState>>,
  agent: AgentResult,
  notices: string[],
): Promise<AgentResult> {
  const { phase } = p.inputs;
  if (phase !== 'implementation' && phase !== 'commit') return agent;
  const { digests } = state.ledger;
  const store = new ArtifactStore(state.workDir);
  const implementation = digests.implementation
    ? await store.readArtifact('implementation', digests.implementation)
    : undefined;
  // The scope the person approved at the gate, from the verified state (never the agent job's upload).
  let alignment: EnvelopeOf<'alignment'> | undefined;
  if (phase === 'implementation') {
    if (!digests.alignment)
      throw new AgentOutputRefusal('the session records no approved alignment to check the scope against');
    alignment = await store.readArtifact('alignment', digests.alignment);
  }
  const { workflowFiles } = await importAgentCommits(p.workspace, p.inputs.agentDir, {
    phase,
    approvedSha: state.headSha,
    head: agent.head,
    ...(implementation ? { squashBase: implementation.body.baseSha } : {}),
    allowWorkflowChanges: state.config.allowWorkflowChanges,
    tokenCanPushWorkflows: p.inputs.workflowsWrite,
    ...(alignment ? { scope: alignment.body.scope } : {}),
  });
  if (agent.envelope?.phase === 'implementation') {
    await checkImplementationFacts(p.workspace, agent.envelope.body, {
      base: state.ledger.bases.implementation ?? state.headSha,
      head: agent.head,
    });
  }
  try {
    const pr = await publishResult(
      {
        octokit: p.octokit,
        repo: p.repo,
        remoteUrl: p.remoteUrl,
        token: p.inputs.githubToken,
        issueNumber: p.inputs.issueNumber,
        session: p.inputs.session,
        startSha: state.headSha,
      },
      { phase, cwd: p.workspace, head: agent.head, ledger: state.ledger },
    );
    if (phase === 'implementation' && !pr.draft) {
      notices.push(
        `ℹ️ Pull request [#${pr.number}](${pr.url}) is open **ready for review**, not as a draft: this repository ` +
          'refuses draft pull requests (a private repository on GitHub Free or Pro). Review it once the commit ' +
          'phase has finished.',
      );
    }
    if (phase !== 'commit' || !agent.envelope) return agent;
    // The PR is known only now: the commit artifact records it, so the write job writes that artifact.
    const envelope = {
      ...agent.envelope,
      body: { ...agent.envelope.body, pr: { number: pr.number, url: pr.url } },
    } as Envelope;
    return { ...agent, envelope };
  } catch (error) {
    // workflows-write said yes, but GitHub said no: name the files rather than leave git's refusal to be decoded.
    if (error instanceof GitError && isWorkflowPushRefusal(error.stderr)) {
      throw new PublishFailure(
        new Error(
          `GitHub refused the push although workflows-write is true: ${workflowTokenRefusal(workflowFiles)}`,
        ),
      );
    }
    throw new PublishFailure(error);
  }
}

class PublishFailure extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'PublishFailure';
  }
}

function isPublishFailure(error: unknown): error is PublishFailure {
  return error instanceof PublishFailure;
}
