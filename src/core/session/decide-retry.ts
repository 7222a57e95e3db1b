import type { Phase } from '../phases.ts';
import { proceedPhrase } from '../phases.ts';
import type { Decision, Effect } from './decision.ts';
import { recoveryOffer } from './recovery-offer.ts';
import { refuse, terminalRefusal } from './refusals.ts';
import { type SessionView, stateLabel } from './session-state.ts';

/**
 * `retry <phase>`: after that phase failed or was blocked, and `retry implementation` also after verification failed
 * or was blocked (the person sends the implementation back with what verification found, instead of rolling back).
 * The retry continues from the session branch as it is (its base stays, so `rollback` still returns to before the
 * first attempt); feedback lines go into its inputs.
 */
export function decideRetry(session: SessionView, phase: Phase, feedback?: string): Decision {
  const status = session.status;
  const label = stateLabel(status);
  switch (status.kind) {
    case 'running':
      return refuse(
        `${status.phase} is still running (${label}, attempt ${status.attempt}); \`retry\` works after a phase ` +
          'fails or is blocked; wait for it to finish, or say `cancel session`',
      );
    case 'awaiting':
      return refuse(
        `nothing to retry: no phase failed or is blocked (${label}); the open gate is \`${proceedPhrase(status.gate)}\``,
      );
    case 'complete':
    case 'cancelled':
      return terminalRefusal(session, { name: 'retry', phase });
    case 'failed':
    case 'blocked':
      break;
    default: {
      const never: never = status;
      return never;
    }
  }
  const backToImplementation = status.phase === 'verification' && phase === 'implementation';
  if (status.phase !== phase && !backToImplementation) {
    return refuse(
      `only ${status.phase} can be retried now (${label}); ${recoveryOffer(session, status.phase)}`,
    );
  }
  const attempt = session.attempts[phase] + 1;
  const text = feedback?.trim() ?? '';
  const dispatch: Effect =
    text === '' ? { type: 'dispatch', phase, attempt } : { type: 'dispatch', phase, attempt, feedback: text };
  return {
    kind: 'accept',
    next: { kind: 'running', phase, attempt },
    effects: [dispatch],
    message: `retrying ${phase} (attempt ${attempt})${text === '' ? '' : ' with your feedback'}`,
  };
}
