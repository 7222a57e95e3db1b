import { type GatedPhase, proceedPhrase } from '../phases.ts';
import { rollbackOptions } from './decide-rollback.ts';
import type { Decision, DecisionContext } from './decision.ts';
import { phaseBefore } from './phase-before.ts';
import { recoveryOffer } from './recovery-offer.ts';
import { listPhrases, refuse, sameLogin, shortSha, terminalRefusal } from './refusals.ts';
import { type SessionView, stateLabel } from './session-state.ts';

/**
 * `proceed to <gate>`: only at that open gate, by someone other than the starter when `requireDistinctApprover`,
 * and only while the session branch is still at the head the gate approves (a later push makes approval stale).
 * Feedback lines given with the approval go into the phase's inputs, as a retry's do.
 */
export function decideProceed(
  session: SessionView,
  gate: GatedPhase,
  ctx: DecisionContext,
  feedback?: string,
): Decision {
  const status = session.status;
  const label = stateLabel(status);
  const phrase = proceedPhrase(gate);
  switch (status.kind) {
    case 'running':
      return refuse(
        `${status.phase} is still running (${label}, attempt ${status.attempt}), so no gate is open; ` +
          'wait for it to finish, or say `cancel session`',
      );
    case 'failed':
    case 'blocked': {
      const what = status.kind === 'failed' ? 'failed' : 'is blocked';
      return refuse(
        `${status.phase} ${what} (${label}, attempt ${status.attempt}), so no gate is open; ` +
          recoveryOffer(session, status.phase),
      );
    }
    case 'complete':
    case 'cancelled':
      return terminalRefusal(session, { name: 'proceed', phase: gate });
    case 'awaiting':
      break;
    default: {
      const never: never = status;
      return never;
    }
  }
  if (status.gate !== gate) {
    return refuse(`the open gate is \`${proceedPhrase(status.gate)}\` (${label}), not \`${phrase}\``);
  }
  const approver = ctx.actor.login;
  if (ctx.requireDistinctApprover && sameLogin(approver, session.startedBy)) {
    return refuse(
      `@${approver} started session ${session.id} and requireDistinctApprover is on, so another authorized ` +
        `person must say \`${phrase}\` (${label})`,
    );
  }
  const { digest, head } = status.approves;
  if (ctx.branchHead !== undefined && ctx.branchHead !== head) {
    const resets = rollbackOptions(session).filter((option) => option !== `rollback ${gate}`);
    return refuse(
      `the session branch moved since ${phaseBefore(gate)} finished ` +
        `(${shortSha(head)} → ${shortSha(ctx.branchHead)}), so this approval would not cover what is on it now ` +
        `(${label}); \`rollback ${gate}\` resets the branch to ${shortSha(head)} and reopens this gate` +
        (resets.length > 0 ? `, or redo earlier work with ${listPhrases(resets)}` : ''),
    );
  }
  const attempt = session.attempts[gate] + 1;
  const text = feedback?.trim() ?? '';
  return {
    kind: 'accept',
    next: { kind: 'running', phase: gate, attempt },
    effects: [
      { type: 'record-approval', gate, approver, digest, head },
      { type: 'dispatch', phase: gate, attempt, base: head, ...(text === '' ? {} : { feedback: text }) },
    ],
    message: `@${approver} approved \`${phrase}\` at ${shortSha(head)}; ${gate} starts (attempt ${attempt})${text === '' ? '' : ' with your feedback'}`,
  };
}
