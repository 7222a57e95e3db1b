import type { Phase } from '../core/phases.ts';
import { advanceSession } from '../core/session/advance-session.ts';
import type { PhaseResult } from '../core/session/apply-phase-result.ts';
import type { AcceptedDecision, Effect } from '../core/session/decision.ts';
import type { SessionView } from '../core/session/session-state.ts';
import { DECLARED_INPUTS } from '../phases/declared-inputs.ts';
import type { Ledger, Run } from '../state/ledger.ts';
import type { Metrics } from '../state/metrics.ts';
import { artifactFileName } from '../state/parse-document.ts';
import { toSessionView } from '../state/to-session-view.ts';

/** Effects the ledger cannot carry out itself: git, dispatching jobs, replying. */
export type ExternalEffect = Extract<
  Effect,
  { type: 'dispatch' | 'reset-branch' | 'cancel-run' | 'report-status' }
>;

export interface ApplyContext {
  actor: string;
  at: string;
  commentUrl?: string;
}

/**
 * Records an accepted decision in the ledger and returns the effects an adapter must still carry out, in order.
 * Status, attempts, bases and digests come from the session engine; this adds only the audit trail (runs,
 * approvals, events). Pure: the input ledger is not modified.
 */
export function applyDecision(
  ledger: Ledger,
  decision: AcceptedDecision,
  ctx: ApplyContext,
): { ledger: Ledger; effects: ExternalEffect[] } {
  const step = advanceSession(toSessionView(ledger), { kind: 'decision', decision });
  const next = withView(ledger, step.view);
  const effects: ExternalEffect[] = [];
  for (const effect of decision.effects) {
    switch (effect.type) {
      case 'create-session':
        break;
      case 'record-approval':
        next.approvals.push({
          gate: effect.gate,
          approver: effect.approver,
          approvedDigest: effect.digest,
          branchHead: effect.head,
          at: ctx.at,
          ...(ctx.commentUrl ? { commentUrl: ctx.commentUrl } : {}),
        });
        event(
          next,
          ctx,
          'approval',
          `${effect.approver} approved ${effect.gate} (artifact ${short(effect.digest)}, head ${effect.head.slice(0, 7)})`,
        );
        break;
      case 'reset-branch':
        event(
          next,
          ctx,
          'rollback',
          `rolled back ${effect.phase}: session branch reset to ${effect.toSha.slice(0, 7)}`,
        );
        effects.push(effect);
        break;
      case 'dispatch':
        recordRunStart(next, effect, ctx);
        effects.push(effect);
        break;
      case 'cancel-run':
        finishRunningRun(next, effect.phase, effect.attempt, { status: 'cancelled', at: ctx.at });
        effects.push(effect);
        break;
      case 'report-status':
        effects.push(effect);
        break;
      default: {
        const never: never = effect;
        throw new Error(`unhandled effect ${JSON.stringify(never)}`);
      }
    }
  }
  if (decision.next?.kind === 'cancelled') event(next, ctx, 'cancel', `${ctx.actor} cancelled the session`);
  return { ledger: next, effects };
}

export interface RunResult extends PhaseResult {
  at: string;
  metrics?: Metrics;
  /** Why the run's untrusted commands ran without the sandbox, when they did. */
  unsandboxed?: string;
  /** The artifact the run exported (name + digest), when it exported one. */
  output?: { name: string; sha256: string };
}

/**
 * Records how a phase run ended: the engine gives the new status and digests, this adds the run's record and an
 * event. A stale result (not the running attempt) is logged and changes nothing else.
 */
export function recordRunResult(
  ledger: Ledger,
  result: RunResult,
): { ledger: Ledger; accepted: boolean; message: string } {
  const step = advanceSession(toSessionView(ledger), { kind: 'phase-result', result });
  if (step.kind === 'stale') {
    const next: Ledger = structuredClone(ledger);
    next.events.push({ at: result.at, type: 'stale-result', detail: step.reason });
    return { ledger: next, accepted: false, message: step.reason };
  }
  const next = withView(ledger, step.view);
  const kind = step.view.status.kind;
  const status = kind === 'failed' ? 'failed' : kind === 'blocked' ? 'blocked' : 'succeeded';
  finishRunningRun(next, result.phase, result.attempt, {
    status,
    at: result.at,
    ...(result.head ? { headSha: result.head } : {}),
    ...(result.output ? { output: result.output } : {}),
    ...(result.metrics ? { metrics: result.metrics } : {}),
    ...(result.unsandboxed ? { unsandboxed: result.unsandboxed } : {}),
    ...(result.error || result.reason ? { error: result.error ?? result.reason } : {}),
  });
  next.events.push({ at: result.at, type: `phase-${status}`, detail: step.message });
  return { ledger: next, accepted: true, message: step.message };
}

/** The running run of `phase` attempt `attempt`, if any. */
export function findRun(ledger: Ledger, phase: Phase, attempt: number): Run | undefined {
  return ledger.runs.find((run) => run.phase === phase && run.attempt === attempt);
}

/** The run record of a dispatch; the engine already set its attempt and base in the ledger's view fields. */
function recordRunStart(
  ledger: Ledger,
  effect: Extract<Effect, { type: 'dispatch' }>,
  ctx: ApplyContext,
): void {
  const baseSha = ledger.bases[effect.phase];
  const inputs = DECLARED_INPUTS[effect.phase].flatMap((input: Phase) => {
    const sha256 = ledger.digests[input];
    return sha256 ? [{ name: artifactFileName(input), sha256 }] : [];
  });
  ledger.runs.push({
    phase: effect.phase,
    attempt: effect.attempt,
    status: 'running',
    startedAt: ctx.at,
    ...(baseSha ? { baseSha } : {}),
    inputs,
  });
  const feedback = effect.feedback ? ` with feedback: ${effect.feedback.split('\n')[0]}` : '';
  event(ledger, ctx, 'phase-started', `${effect.phase} attempt ${effect.attempt} started${feedback}`);
}

function finishRunningRun(
  ledger: Ledger,
  phase: Phase,
  attempt: number,
  patch: Partial<Run> & { status: Run['status']; at: string },
): void {
  const run = ledger.runs.find((r) => r.phase === phase && r.attempt === attempt && r.status === 'running');
  if (!run) return;
  const { at, ...fields } = patch;
  Object.assign(run, fields, { finishedAt: at });
}

/** A copy of `ledger` holding the engine's view: the ledger keeps no session rule of its own. */
function withView(ledger: Ledger, view: SessionView): Ledger {
  return {
    ...structuredClone(ledger),
    status: view.status,
    attempts: view.attempts,
    bases: view.bases,
    digests: view.digests,
  };
}

function event(ledger: Ledger, ctx: ApplyContext, type: string, detail: string): void {
  ledger.events.push({ at: ctx.at, type, actor: ctx.actor, detail });
}

function short(digest: string): string {
  return `sha256:${digest.slice(0, 8)}`;
}
