import { type GatedPhase, isGatedPhase, PHASES, type Phase, phaseIndex } from '../phases.ts';
import type { Decision } from './decision.ts';
import { phaseBefore } from './phase-before.ts';
import { listPhrases, refuse, shortSha, terminalRefusal } from './refusals.ts';
import { type SessionView, stateLabel } from './session-state.ts';

type RollbackPlan =
  | { ok: true; target: string; reopen?: { gate: GatedPhase; digest: string } }
  | { ok: false; problem: 'running' | 'terminal' | 'not-reached' | 'no-base' | 'no-digest' };

/**
 * `rollback <phase>`: reset the session branch to where the phase's current round started and reopen the gate
 * before it (alignment has no gate, so it is dispatched again). Allowed when nothing runs and the phase was reached:
 * in `awaiting:<P>`, `rollback P` resets to the approved head, which undoes pushes made since the gate opened.
 */
export function decideRollback(session: SessionView, phase: Phase): Decision {
  const plan = planRollback(session, phase);
  const status = session.status;
  const label = stateLabel(status);
  if (!plan.ok) {
    switch (plan.problem) {
      case 'running': {
        const running =
          status.kind === 'running'
            ? `${status.phase} is running (${label}, attempt ${status.attempt})`
            : label;
        return refuse(`cannot roll back while ${running}; wait for it to finish, or \`cancel session\``);
      }
      case 'terminal':
        return terminalRefusal(session, { name: 'rollback', phase });
      case 'not-reached':
        return refuse(
          `${phase} has not been reached yet (${label}), so there is nothing to roll back; ${otherwise(session)}`,
        );
      case 'no-base':
        return refuse(
          `nothing to roll back for ${phase}: no base commit is recorded for it (${label}); ${otherwise(session)}`,
        );
      case 'no-digest': {
        const before = isGatedPhase(phase) ? phaseBefore(phase) : phase;
        return refuse(
          `cannot reopen the gate before ${phase}: no artifact digest is recorded for ${before} (${label}); ` +
            otherwise(session),
        );
      }
      default: {
        const never: never = plan.problem;
        return never;
      }
    }
  }
  const reset = { type: 'reset-branch', phase, toSha: plan.target } as const;
  if (plan.reopen === undefined) {
    const attempt = session.attempts[phase] + 1;
    return {
      kind: 'accept',
      next: { kind: 'running', phase, attempt },
      effects: [reset, { type: 'dispatch', phase, attempt, base: plan.target }],
      message: `rolled back to ${shortSha(plan.target)}; ${phase} runs again (attempt ${attempt})`,
    };
  }
  return {
    kind: 'accept',
    next: {
      kind: 'awaiting',
      gate: plan.reopen.gate,
      approves: { digest: plan.reopen.digest, head: plan.target },
    },
    effects: [reset],
    message: `rolled back to ${shortSha(plan.target)}; the gate \`proceed to ${phase}\` is open again`,
  };
}

/** The `rollback <phase>` phrases that would be accepted now, earliest phase first. */
export function rollbackOptions(session: SessionView): string[] {
  return PHASES.filter((phase) => planRollback(session, phase).ok).map((phase) => `rollback ${phase}`);
}

/** Where the branch would go and which digest the reopened gate approves (none for alignment: no gate). */
function planRollback(session: SessionView, phase: Phase): RollbackPlan {
  const status = session.status;
  if (status.kind === 'running') return { ok: false, problem: 'running' };
  if (status.kind === 'complete' || status.kind === 'cancelled') return { ok: false, problem: 'terminal' };
  const at = status.kind === 'awaiting' ? status.gate : status.phase;
  if (phaseIndex(phase) > phaseIndex(at)) return { ok: false, problem: 'not-reached' };
  if (status.kind === 'awaiting' && status.gate === phase) {
    return {
      ok: true,
      target: status.approves.head,
      reopen: { gate: status.gate, digest: status.approves.digest },
    };
  }
  const target = session.bases[phase];
  if (target === undefined) return { ok: false, problem: 'no-base' };
  if (!isGatedPhase(phase)) return { ok: true, target };
  const digest = session.digests[phaseBefore(phase)];
  return digest === undefined
    ? { ok: false, problem: 'no-digest' }
    : { ok: true, target, reopen: { gate: phase, digest } };
}

function otherwise(session: SessionView): string {
  return `you can say ${listPhrases([...rollbackOptions(session), 'cancel session'])}`;
}
