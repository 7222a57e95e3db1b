import { PHASES, type Phase } from '../core/phases.ts';
import { stateLabel } from '../core/session/session-state.ts';
import { DECLARED_INPUTS } from '../phases/declared-inputs.ts';
import type { PhaseContext, PhaseInputs, PhaseOutput } from '../phases/phase-context.ts';
import { PHASE_RUNNERS } from '../phases/registry.ts';
import { recordRunResult } from '../session/ledger-ops.ts';
import { ArtifactStore } from '../state/artifact-store.ts';
import { ENVELOPE_SCHEMAS, type Envelope, envelopeSchemaId } from '../state/envelope.ts';
import { type Ledger, ledgerSchema } from '../state/ledger.ts';
import { artifactFileName, LEDGER_FILE_NAME, serializeDocument } from '../state/parse-document.ts';
import { StateError } from '../state/state-error.ts';
import { type ExportedFile, type ExportFile, writeExport } from './phase-export.ts';

export interface PhaseJobParams extends Omit<PhaseContext, 'ledger' | 'attempt' | 'inputs' | 'sandboxUse'> {
  phase: Phase;
  /** Holds `session.json` and the declared input artifacts, nothing else is read from it. */
  stateDir: string;
  /** Receives the phase's artifact, the updated ledger and the transcript, written once when the phase is over. */
  outDir: string;
  /**
   * Also export every earlier artifact the ledger records (the Action: the next run downloads only this run's
   * artifact). They are read and checked at the start, before any command runs, and written from memory.
   */
  carryArtifacts?: boolean;
  /**
   * Publishes a phase's result before it is recorded (the Action pushes the branch and updates the PR here); may
   * turn a success into a failure, so the ledger never claims work that did not reach the remote.
   */
  publish?: (output: PhaseOutput<Phase>, ctx: PhaseContext) => Promise<PhaseOutput<Phase>>;
}

export interface PhaseJobResult {
  outcome: PhaseOutput<Phase>['outcome'];
  message: string;
  ledger: Ledger;
  attempt: number;
  head: string;
  /** Digest of the exported artifact, when there is one. */
  digest?: string;
  /** The exported artifact's body, so callers need not read back the file just written. */
  body?: PhaseOutput<Phase>['body'];
  /** File of the run's transcript in `outDir`, when the phase talked to a model. */
  transcriptFile?: string;
  /** Every file written to `outDir` with the digest of its bytes: hand the directory on only through `readExport`. */
  exported: ExportedFile[];
}

/** What is reported of a phase run (status comment, outputs): a result without the export's file list. */
export type PhaseReport = Omit<PhaseJobResult, 'exported'>;

/**
 * One isolated phase run, the same on a laptop (`ipo run-phase`) and on a runner (the Action): verify the state
 * handed in (schema + digest chain), run the phase, export its artifact, transcript and the updated ledger.
 * Refuses before any model call when the state is not what the ledger recorded.
 */
export async function runPhaseJob(p: PhaseJobParams): Promise<PhaseJobResult> {
  const state = new ArtifactStore(p.stateDir);
  const ledger = await state.readLedger();
  const status = ledger.status;
  if (status.kind !== 'running' || status.phase !== p.phase) {
    throw new StateError({
      code: 'invalid',
      file: 'session.json',
      expected: `a session running ${p.phase}`,
      message: `session.json: session ${ledger.session} is not running ${p.phase} (state ${stateLabel(status)}); nothing to do`,
    });
  }
  const inputs = await loadInputs(state, ledger, p.phase);
  const carried = p.carryArtifacts ? await loadCarried(state, ledger, p.phase) : [];
  const ctx: PhaseContext = {
    ...p,
    ledger,
    attempt: status.attempt,
    inputs: inputs.bodies,
    sandboxUse: {},
  };
  const ran = await runGuarded(p.phase, ctx);
  const output = p.publish && ran.outcome === 'succeeded' ? await publishGuarded(p.publish, ran, ctx) : ran;

  // Everything exported is computed here, in memory, after the phase's commands are over; the digest the ledger
  // records is of these bytes, and nothing written is ever read back to compute, copy or report it.
  const files: ExportFile[] = [];
  let digest: string | undefined;
  if (output.body) {
    const envelope = {
      schema: envelopeSchemaId(p.phase),
      session: ledger.session,
      phase: p.phase,
      attempt: status.attempt,
      createdAt: p.now().toISOString(),
      inputs: inputs.refs,
      body: output.body,
    } as Envelope;
    const file = artifactFileName(p.phase);
    const artifact = serializeDocument(ENVELOPE_SCHEMAS[p.phase], envelope, file);
    digest = artifact.digest;
    files.push({ file, text: artifact.text });
  }
  const recorded = recordRunResult(ledger, {
    phase: p.phase,
    attempt: status.attempt,
    outcome: output.outcome,
    at: p.now().toISOString(),
    head: output.head,
    ...(digest ? { digest, output: { name: artifactFileName(p.phase), sha256: digest } } : {}),
    ...(output.metrics ? { metrics: output.metrics } : {}),
    ...(ctx.sandboxUse.unsandboxed ? { unsandboxed: ctx.sandboxUse.unsandboxed } : {}),
    ...(output.outcome === 'failed' && output.message ? { error: output.message } : {}),
    ...(output.outcome === 'blocked' && output.message ? { reason: output.message } : {}),
  });
  files.push({
    file: LEDGER_FILE_NAME,
    text: serializeDocument(ledgerSchema, recorded.ledger, LEDGER_FILE_NAME).text,
  });
  // Phases without a model (commit) have no conversation to record.
  const transcriptFile =
    output.transcript.length > 0 ? `transcript-${p.phase}-${status.attempt}.json` : undefined;
  if (transcriptFile) {
    files.push({ file: transcriptFile, text: `${JSON.stringify(output.transcript, null, 2)}\n` });
  }
  // The phase's own new artifact wins over an older one of the same phase.
  files.push(...carried.filter((entry) => !files.some((own) => own.file === entry.file)));
  const exported = await writeExport(p.outDir, files);
  return {
    outcome: output.outcome,
    message: output.message ?? recorded.message,
    ledger: recorded.ledger,
    attempt: status.attempt,
    head: output.head,
    ...(digest ? { digest, body: output.body } : {}),
    ...(transcriptFile ? { transcriptFile } : {}),
    exported,
  };
}

/**
 * The text of every artifact the ledger records a digest for (other than `phase`'s own), each checked against it,
 * read before the phase runs anything. One the directory lacks is skipped: the run that needs it refuses its absence.
 */
async function loadCarried(state: ArtifactStore, ledger: Ledger, phase: Phase): Promise<ExportFile[]> {
  const carried: ExportFile[] = [];
  for (const other of PHASES) {
    const expected = ledger.digests[other];
    if (other === phase || !expected) continue;
    const text = await state.readArtifactText(other, expected).catch((error: unknown) => {
      if (error instanceof StateError && error.code === 'not-found') return null;
      throw error;
    });
    if (text !== null) carried.push({ file: artifactFileName(other), text });
  }
  return carried;
}

/** Reads exactly the declared inputs, each checked against the digest the ledger recorded for it. */
async function loadInputs(state: ArtifactStore, ledger: Ledger, phase: Phase) {
  const bodies: PhaseInputs = {};
  const refs: { name: string; sha256: string }[] = [];
  for (const input of DECLARED_INPUTS[phase] as readonly Phase[]) {
    const file = artifactFileName(input);
    const expected = ledger.digests[input];
    if (!expected) {
      throw new StateError({
        code: 'invalid',
        file: 'session.json',
        path: `digests.${input}`,
        expected: 'a recorded digest',
        message: `session.json: digests.${input}: no ${file} was recorded as succeeded; ${phase} cannot start without it`,
      });
    }
    const envelope = await state.readArtifact(input, expected);
    if (envelope.session !== ledger.session) {
      throw new StateError({
        code: 'invalid',
        file,
        path: 'session',
        expected: ledger.session,
        message: `${file}: session: expected "${ledger.session}", got "${envelope.session}"`,
      });
    }
    (bodies as Record<string, unknown>)[input] = envelope.body;
    refs.push({ name: file, sha256: expected });
  }
  return { bodies, refs };
}

/** A phase that throws (git failure, bug) still ends as a recorded failure, never as a lost run. */
async function runGuarded(phase: Phase, ctx: PhaseContext): Promise<PhaseOutput<Phase>> {
  try {
    return await (PHASE_RUNNERS[phase] as (c: PhaseContext) => Promise<PhaseOutput<Phase>>)(ctx);
  } catch (error) {
    const message = `${phase} failed: ${error instanceof Error ? error.message : String(error)}`;
    return {
      outcome: 'failed',
      message: ctx.redact(message),
      head: ctx.ledger.bases[phase] ?? '',
      transcript: [],
    };
  }
}

async function publishGuarded(
  publish: NonNullable<PhaseJobParams['publish']>,
  output: PhaseOutput<Phase>,
  ctx: PhaseContext,
): Promise<PhaseOutput<Phase>> {
  try {
    return await publish(output, ctx);
  } catch (error) {
    const message = `publishing the result failed: ${error instanceof Error ? error.message : String(error)}`;
    return { ...output, outcome: 'failed', message: ctx.redact(message) };
  }
}
