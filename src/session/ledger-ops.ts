import type { Phase } from '../core/phases.ts';
import { PHASES, phaseIndex } from '../core/phases.ts';
import { applyPhaseResult, type PhaseResult } from '../core/session/apply-phase-result.ts';
import type { Decision, Effect } from '../core/session/decision.ts';
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
 * Records an accepted decision in the ledger (status, attempts, bases, runs, approvals, audit events) and returns
 * the effects an adapter must still carry out, in order. Pure: the input ledger is not modified.
 */
export function applyDecision(
  ledger: Ledger,
  decision: Extract<Decision, { kind: 'accept' }>,
  ctx: ApplyContext,
): { ledger: Ledger; effects: ExternalEffect[] } {
  const next: Ledger = structuredClone(ledger);
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
        dropAfterRollback(next, effect.phase);
        event(
          next,
          ctx,
          'rollback',
          `rolled back ${effect.phase}: session branch reset to ${effect.toSha.slice(0, 7)}`,
        );
        effects.push(effect);
        break;
      case 'dispatch':
        startRun(next, effect, ctx);
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
  if (decision.next) next.status = decision.next;
  if (decision.next?.kind === 'cancelled') event(next, ctx, 'cancel', `${ctx.actor} cancelled the session`);
  return { ledger: next, effects };
}

export interface RunResult extends PhaseResult {
  at: string;
  metrics?: Metrics;
  /** The artifact the run exported (name + digest), when it exported one. */
  output?: { name: string; sha256: string };
}

/** Records how a phase run ended; a stale result (not the running attempt) is logged and changes nothing else. */
export function recordRunResult(
  ledger: Ledger,
  result: RunResult,
): { ledger: Ledger; accepted: boolean; message: string } {
  const next: Ledger = structuredClone(ledger);
  const decided = applyPhaseResult(toSessionView(ledger), result);
  if (decided.kind === 'refuse') {
    next.events.push({ at: result.at, type: 'stale-result', detail: decided.reason });
    return { ledger: next, accepted: false, message: decided.reason };
  }
  next.status = decided.next;
  const status =
    decided.next.kind === 'failed' ? 'failed' : decided.next.kind === 'blocked' ? 'blocked' : 'succeeded';
  finishRunningRun(next, result.phase, result.attempt, {
    status,
    at: result.at,
    ...(result.head ? { headSha: result.head } : {}),
    ...(result.output ? { output: result.output } : {}),
    ...(result.metrics ? { metrics: result.metrics } : {}),
    ...(result.error || result.reason ? { error: result.error ?? result.reason } : {}),
  });
  if (status === 'succeeded' && result.digest) next.digests[result.phase] = result.digest;
  next.events.push({ at: result.at, type: `phase-${status}`, detail: decided.message });
  return { ledger: next, accepted: true, message: decided.message };
}

/** The running run of `phase` attempt `attempt`, if any. */
export function findRun(ledger: Ledger, phase: Phase, attempt: number): Run | undefined {
  return ledger.runs.find((run) => run.phase === phase && run.attempt === attempt);
}

function startRun(ledger: Ledger, effect: Extract<Effect, { type: 'dispatch' }>, ctx: ApplyContext): void {
  ledger.attempts[effect.phase] = effect.attempt;
  if (effect.base) ledger.bases[effect.phase] = effect.base;
  const baseSha = effect.base ?? ledger.bases[effect.phase];
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

/** After a rollback of `phase`, the work of that phase and every later one is gone. */
function dropAfterRollback(ledger: Ledger, phase: Phase): void {
  for (const p of PHASES) {
    if (phaseIndex(p) > phaseIndex(phase)) delete ledger.bases[p];
    if (phaseIndex(p) >= phaseIndex(phase)) delete ledger.digests[p];
  }
}

function event(ledger: Ledger, ctx: ApplyContext, type: string, detail: string): void {
  ledger.events.push({ at: ctx.at, type, actor: ctx.actor, detail });
}

function short(digest: string): string {
  return `sha256:${digest.slice(0, 8)}`;
}
