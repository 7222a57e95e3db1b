import { mkdir, readdir } from 'node:fs/promises';
import { startCommandProblem } from '../core/dispatch/command-sequence-problem.ts';
import type { VerifiedCommand } from '../core/dispatch/verified-command.ts';
import type { Phase } from '../core/phases.ts';
import { decide } from '../core/session/decide.ts';
import { parseSessionId } from '../core/session/session-id.ts';
import { findTask } from '../core/tasks/find-task.ts';
import { CatchUpRefusal, catchUpLedger } from '../session/catch-up-ledger.ts';
import { applyDecision } from '../session/ledger-ops.ts';
import { newLedger } from '../session/new-ledger.ts';
import { ArtifactStore } from '../state/artifact-store.ts';
import type { Config } from '../state/config.ts';
import { digest } from '../state/digest.ts';
import type { Ledger } from '../state/ledger.ts';
import { StateError } from '../state/state-error.ts';
import { copyArtifacts } from './copy-artifacts.ts';

/** The run's inputs that decide its state (the agent step's and the write step's alike). */
export interface PrepareInputs {
  phase: Phase;
  session: string;
  attempt: number;
  approvedSha?: string | undefined;
  /** The previous run's downloaded state artifact. */
  stateDir: string;
}

export interface StateSources {
  config: Config;
  /** The tasks file on the default branch, if it exists. */
  tasksText: string | null;
  tasksPath: string;
  /** Fallback task text: the issue's title and body. */
  issue: { title: string; body: string; url: string };
  defaultBranch: string;
  headSha: string;
  now: () => Date;
  /**
   * Digest of the latest exported ledger according to the issue's trusted status comment, or, when that comment
   * has none, why (for the refusal): a run that continues a session must match what ipo's own comment recorded.
   */
  expectedLedger: { digest: string } | { missing: string };
  /** The commands given since that ledger, read from their comments and verified, oldest first. */
  commands: readonly VerifiedCommand[];
}

/**
 * The state this run works from, in a fresh directory: the downloaded ledger with the verified commands replayed
 * onto it (or a new ledger from the start comment, for a session's first alignment), plus every artifact carried
 * so far.
 */
export async function prepareState(
  inputs: PrepareInputs,
  src: StateSources,
  workDir: string,
): Promise<Ledger> {
  await mkdir(workDir, { recursive: true });
  const downloaded = new ArtifactStore(inputs.stateDir);
  const hasLedger = await readdir(inputs.stateDir).then(
    (files) => files.includes('session.json'),
    () => false,
  );
  const at = src.now().toISOString();
  let ledger: Ledger;
  if (!hasLedger) {
    if (inputs.phase !== 'alignment' || inputs.attempt !== 1) {
      throw new StateError({
        code: 'not-found',
        file: 'session.json',
        expected: 'the previous run’s state',
        message: `session.json: not found in ${inputs.stateDir}; ${inputs.phase} attempt ${inputs.attempt} needs the state artifact of the previous run (dispatch input previous-run-id)`,
      });
    }
    ledger = startLedger(inputs, src, at);
  } else {
    const previous = await downloaded.readLedger();
    // Two independent records must agree: the artifact store and the status comment the last job wrote.
    // Without the comment's record there is nothing to hold the artifact to, so a missing record refuses too.
    if ('missing' in src.expectedLedger) {
      throw new StateError({
        code: 'not-found',
        file: 'session.json',
        expected: 'a ledger digest in the session’s status comment',
        message: `session.json cannot be checked: ${src.expectedLedger.missing}`,
      });
    }
    const expected = src.expectedLedger.digest;
    if (digest(previous) !== expected) {
      throw new StateError({
        code: 'digest-mismatch',
        file: 'session.json',
        expected,
        message: `session.json does not match the ledger recorded in the status comment (sha256 ${digest(previous).slice(0, 12)}, expected ${expected.slice(0, 12)}): the state was altered, or previous-run-id names the wrong run`,
      });
    }
    if (previous.session !== inputs.session) {
      throw new StateError({
        code: 'invalid',
        file: 'session.json',
        path: 'session',
        expected: inputs.session,
        message: `session.json: session: expected "${inputs.session}", got "${previous.session}"`,
      });
    }
    ledger = catchUpLedger(previous, inputs.phase, inputs.attempt, {
      commands: src.commands,
      at,
      requireDistinctApprover: src.config.requireDistinctApprover,
      ...(inputs.approvedSha ? { approvedSha: inputs.approvedSha } : {}),
    });
    await copyArtifacts(inputs.stateDir, workDir);
  }
  await new ArtifactStore(workDir).writeLedger(ledger);
  return ledger;
}

function startLedger(inputs: PrepareInputs, src: StateSources, at: string): Ledger {
  const parsed = parseSessionId(inputs.session);
  if (!parsed) throw new Error(`input session: "${inputs.session}" is not a session id`);
  const problem = startCommandProblem(src.commands, inputs.session);
  if (problem) throw new CatchUpRefusal(problem);
  const startedBy = src.commands[0]?.login ?? '';
  const section = src.tasksText ? findTask(src.tasksText, parsed.taskId) : null;
  const task = section
    ? { title: section.title, text: section.text, source: `${src.tasksPath}#L${section.line}` }
    : { title: src.issue.title, text: `${src.issue.title}\n\n${src.issue.body}`, source: src.issue.url };
  const fresh = newLedger({
    session: inputs.session,
    taskId: parsed.taskId,
    task,
    startedBy,
    baseBranch: src.defaultBranch,
    baseSha: inputs.approvedSha ?? src.headSha,
    at,
  });
  const decision = decide(
    undefined,
    { name: 'start', taskId: parsed.taskId },
    {
      actor: { login: startedBy, authorized: true },
      requireDistinctApprover: false,
    },
  );
  if (decision.kind === 'refuse') throw new CatchUpRefusal(decision.reason);
  const url = src.commands[0]?.url;
  return applyDecision(fresh, decision, { actor: startedBy, at, ...(url ? { commentUrl: url } : {}) }).ledger;
}
