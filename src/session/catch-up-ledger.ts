import type { Command } from '../core/commands/command.ts';
import { commandSequenceProblem } from '../core/dispatch/command-sequence-problem.ts';
import type { VerifiedCommand } from '../core/dispatch/verified-command.ts';
import { isGatedPhase, type Phase } from '../core/phases.ts';
import { commandPhrase } from '../core/session/command-phrase.ts';
import { decide } from '../core/session/decide.ts';
import { stateLabel } from '../core/session/session-state.ts';
import type { Ledger } from '../state/ledger.ts';
import { toSessionView } from '../state/to-session-view.ts';
import { applyDecision, recordRunResult } from './ledger-ops.ts';

export interface CatchUpContext {
  /**
   * The commands given since the ledger was exported, each read from its comment and verified, oldest first; the
   * one that dispatched this run last.
   */
  commands: readonly VerifiedCommand[];
  at: string;
  /** The session-branch head the dispatch approved (the job's checkout). */
  approvedSha?: string;
  requireDistinctApprover: boolean;
}

/** A dispatch that does not follow from the session's state; the job stops before any model call. */
export class CatchUpRefusal extends Error {
  override name = 'CatchUpRefusal';
}

/**
 * A phase job on GitHub starts from the ledger the previous run exported, which ends at a gate (or a failure). The
 * people's commands reached the app, not that ledger: replay exactly those commands here, each as its comment
 * says and by its comment's author, through the same state machine, so the ledger records who approved and a
 * forged or stale dispatch is refused again by the job itself.
 */
export function catchUpLedger(ledger: Ledger, phase: Phase, attempt: number, ctx: CatchUpContext): Ledger {
  const problem = commandSequenceProblem(ctx.commands, lastFinishedAt(ledger));
  if (problem) throw new CatchUpRefusal(problem);
  let current = ledger;
  let last: VerifiedCommand | undefined;
  for (const [i, verified] of ctx.commands.entries()) {
    // A run dispatched by an earlier command of this list never exported state, or it would be the previous run.
    if (i > 0) current = endLostRun(current, ctx.at);
    const lostRetry = i === 0 ? retryOfLostRun(current, verified, attempt, ctx.at) : undefined;
    if (lostRetry) current = lostRetry.ledger;
    if (i === ctx.commands.length - 1) current = withLostAttempts(current, phase, attempt, ctx.at);
    const decision = decide(toSessionView(current), lostRetry?.proceed ?? verified.command, {
      actor: { login: verified.login, authorized: true },
      requireDistinctApprover: ctx.requireDistinctApprover,
      ...(ctx.approvedSha ? { branchHead: ctx.approvedSha } : {}),
    });
    if (decision.kind === 'refuse') {
      throw new CatchUpRefusal(`${describe(verified)} was refused: ${decision.reason}`);
    }
    current = applyDecision(current, decision, {
      actor: verified.login,
      at: ctx.at,
      commentUrl: verified.url,
    }).ledger;
    last = verified;
  }
  const status = current.status;
  if (status.kind !== 'running' || status.phase !== phase || status.attempt !== attempt) {
    const reached =
      status.kind === 'running' ? `${status.phase} attempt ${status.attempt}` : stateLabel(status);
    throw new CatchUpRefusal(
      `this run was dispatched for ${phase} attempt ${attempt}, but ${last ? describe(last) : 'the commands'} ` +
        `leads to ${reached}: dispatch with the comment that gave the command for this phase`,
    );
  }
  return current;
}

/**
 * `retry P` answered while the ledger still waits at P's gate: the run that gate's approval dispatched was lost
 * before exporting anything (so the ledger never saw the approval), and the app then offered the retry. The
 * retry's author asks for P to run, so it stands as that gate's approval, by that author, under the same rules as
 * `proceed to P` (a distinct approver, the approved head); the ledger says so in an audit event.
 */
function retryOfLostRun(
  ledger: Ledger,
  verified: VerifiedCommand,
  attempt: number,
  at: string,
): { proceed: Command; ledger: Ledger } | undefined {
  const { command } = verified;
  const status = ledger.status;
  if (command.name !== 'retry' || status.kind !== 'awaiting' || status.gate !== command.phase)
    return undefined;
  if (attempt <= ledger.attempts[command.phase] + 1 || !isGatedPhase(command.phase)) return undefined;
  return {
    proceed: { name: 'proceed', phase: command.phase },
    ledger: {
      ...ledger,
      events: [
        ...ledger.events,
        {
          at,
          type: 'lost-run-retry',
          actor: verified.login,
          detail: `the approved ${command.phase} run was lost before exporting state; ${describe(verified)} approves the gate again`,
        },
      ],
    },
  };
}

function describe(c: VerifiedCommand): string {
  return `comment ${c.commentId} by @${c.login} (\`${commandPhrase(c.command)}\`)`;
}

/** When the gate the commands answer opened: the end of the ledger's last finished run. */
function lastFinishedAt(ledger: Ledger): string | undefined {
  return ledger.runs
    .map((run) => run.finishedAt)
    .filter((at): at is string => at !== undefined)
    .sort()
    .at(-1);
}

/** Records the running run as failed without state, so the command after it (a retry) applies. */
function endLostRun(ledger: Ledger, at: string): Ledger {
  const status = ledger.status;
  if (status.kind !== 'running') return ledger;
  return recordRunResult(ledger, {
    phase: status.phase,
    attempt: status.attempt,
    outcome: 'failed',
    error: 'the run ended without exporting state',
    at,
  }).ledger;
}

/**
 * Runs that crashed before exporting state never reached this ledger, yet the app counted their attempts. Skip the
 * ledger's count up to just before `attempt` (with an audit event) so the numbering matches the runs on GitHub.
 */
function withLostAttempts(ledger: Ledger, phase: Phase, attempt: number, at: string): Ledger {
  const known = ledger.attempts[phase];
  const running = ledger.status.kind === 'running' && ledger.status.phase === phase;
  if (running || known >= attempt - 1) return ledger;
  const lost = attempt - 1 - known;
  return {
    ...ledger,
    attempts: { ...ledger.attempts, [phase]: attempt - 1 },
    events: [
      ...ledger.events,
      {
        at,
        type: 'lost-runs',
        detail: `${lost} run(s) of ${phase} ended without exporting state; continuing with attempt ${attempt}`,
      },
    ],
  };
}
