import type { Phase } from '../core/phases.ts';
import { DECLARED_INPUTS } from '../phases/declared-inputs.ts';
import { findRun } from '../session/ledger-ops.ts';
import { ArtifactStore } from '../state/artifact-store.ts';
import type { Envelope } from '../state/envelope.ts';
import type { Ledger, Run } from '../state/ledger.ts';
import { artifactFileName } from '../state/parse-document.ts';
import { AgentOutputRefusal } from './agent-output-refusal.ts';

/** What the write job takes from the agent job: the run's result and its artifact, nothing else of its ledger. */
export interface AgentResult {
  outcome: 'succeeded' | 'failed' | 'blocked';
  head: string;
  error?: string;
  metrics?: Run['metrics'];
  /** Why the agent job's commands ran without the sandbox, as its phase recorded it (the write job runs none). */
  unsandboxed?: string;
  envelope?: Envelope;
}

/**
 * Reads the agent job's upload against the write job's own ledger (`trusted`, rebuilt from the previous run's state
 * and the verified commands): its `session.json` and artifact must pass their schemas, the artifact must have the
 * digest that ledger records, and it must name this session, phase and attempt and exactly the inputs the trusted
 * ledger holds. Throws `AgentOutputRefusal` otherwise.
 */
export async function readAgentResult(
  agentDir: string,
  trusted: Ledger,
  phase: Phase,
  attempt: number,
): Promise<AgentResult> {
  const store = new ArtifactStore(agentDir);
  const ledger = await store.readLedger().catch(refuse);
  const run = findRun(ledger, phase, attempt);
  if (ledger.session !== trusted.session || !run) {
    throw new AgentOutputRefusal(
      `session.json records no run of ${phase} attempt ${attempt} of ${trusted.session}`,
    );
  }
  if (run.status !== 'succeeded' && run.status !== 'failed' && run.status !== 'blocked') {
    throw new AgentOutputRefusal(`session.json: ${phase} attempt ${attempt} is ${run.status}, not finished`);
  }
  if (run.status === 'succeeded' && !run.output) {
    throw new AgentOutputRefusal(`session.json: ${phase} attempt ${attempt} succeeded without an artifact`);
  }
  const result: AgentResult = {
    outcome: run.status,
    head: run.headSha ?? '',
    ...(run.error ? { error: run.error } : {}),
    ...(run.metrics ? { metrics: run.metrics } : {}),
    ...(run.unsandboxed ? { unsandboxed: run.unsandboxed } : {}),
  };
  if (!run.output) return result;
  const envelope = await store.readArtifact(phase, run.output.sha256).catch(refuse);
  const expectedInputs = DECLARED_INPUTS[phase].map((input: Phase) => ({
    name: artifactFileName(input),
    sha256: trusted.digests[input],
  }));
  const matches =
    envelope.session === trusted.session &&
    envelope.phase === phase &&
    envelope.attempt === attempt &&
    JSON.stringify(envelope.inputs) === JSON.stringify(expectedInputs);
  if (!matches) {
    throw new AgentOutputRefusal(
      `${artifactFileName(phase)} names another session, phase, attempt or inputs than the ones this run verified`,
    );
  }
  return { ...result, envelope };
}

function refuse(error: unknown): never {
  throw new AgentOutputRefusal(error instanceof Error ? error.message : String(error));
}
