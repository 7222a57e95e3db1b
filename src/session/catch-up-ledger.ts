import type { Command } from '../core/commands/command.ts';
import { isGatedPhase, type Phase, phaseIndex } from '../core/phases.ts';
import { commandPhrase } from '../core/session/command-phrase.ts';
import { decide } from '../core/session/decide.ts';
import { stateLabel } from '../core/session/session-state.ts';
import type { Ledger } from '../state/ledger.ts';
import { toSessionView } from '../state/to-session-view.ts';
import { applyDecision } from './ledger-ops.ts';

export interface CatchUpContext {
  actor: string;
  at: string;
  /** The session-branch head the dispatch approved (the job's checkout). */
  approvedSha?: string;
  commentUrl?: string;
  requireDistinctApprover: boolean;
  feedback?: string;
}

/** A dispatch that does not follow from the session's state; the job stops before any model call. */
export class CatchUpRefusal extends Error {
  override name = 'CatchUpRefusal';
}

/**
 * A phase job on GitHub starts from the ledger the previous run exported, which ends at a gate (or a failure). The
 * person's command reached the app, not that ledger: replay it here through the same state machine, so the ledger
 * records the approval and a forged or stale dispatch is refused again by the job itself.
 */
export function catchUpLedger(ledger: Ledger, phase: Phase, attempt: number, ctx: CatchUpContext): Ledger {
  let current = withLostAttempts(ledger, phase, attempt, ctx.at);
  for (const command of commandsFor(ledger, phase)) {
    const decision = decide(toSessionView(current), command, {
      actor: { login: ctx.actor, authorized: true },
      requireDistinctApprover: ctx.requireDistinctApprover,
      ...(ctx.approvedSha ? { branchHead: ctx.approvedSha } : {}),
    });
    if (decision.kind === 'refuse')
      throw new CatchUpRefusal(`\`${commandPhrase(command)}\` refused: ${decision.reason}`);
    current = applyDecision(current, decision, {
      actor: ctx.actor,
      at: ctx.at,
      ...(ctx.commentUrl ? { commentUrl: ctx.commentUrl } : {}),
    }).ledger;
  }
  const status = current.status;
  if (status.kind !== 'running' || status.phase !== phase || status.attempt !== attempt) {
    throw new CatchUpRefusal(
      `this run was dispatched for ${phase} attempt ${attempt}, but the session is ${stateLabel(status)}` +
        (status.kind === 'running' ? ` (attempt ${status.attempt})` : ''),
    );
  }
  return current;

  function commandsFor(l: Ledger, p: Phase): Command[] {
    const s = l.status;
    if (s.kind === 'running') return [];
    if (s.kind === 'awaiting' && s.gate === p) return [{ name: 'proceed', phase: p }];
    if ((s.kind === 'failed' || s.kind === 'blocked') && s.phase === p) {
      return [{ name: 'retry', phase: p, ...(ctx.feedback ? { feedback: ctx.feedback } : {}) }];
    }
    const position =
      s.kind === 'awaiting' ? s.gate : s.kind === 'failed' || s.kind === 'blocked' ? s.phase : null;
    if (position !== null && l.bases[p] && phaseIndex(p) <= phaseIndex(position)) {
      // The person rolled back to `p` through the app (which reset the branch), then opened its gate.
      return isGatedPhase(p)
        ? [
            { name: 'rollback', phase: p },
            { name: 'proceed', phase: p },
          ]
        : [{ name: 'rollback', phase: p }];
    }
    return [];
  }
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
