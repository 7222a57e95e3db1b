import type { Command } from '../commands/command.ts';
import { isTaskId } from '../task-id.ts';
import { commandPhrase } from './command-phrase.ts';
import { decideProceed } from './decide-proceed.ts';
import { decideRetry } from './decide-retry.ts';
import { decideRollback } from './decide-rollback.ts';
import type { Decision, DecisionContext } from './decision.ts';
import { noSessionRefusal, refuse, terminalRefusal } from './refusals.ts';
import { isActive, type SessionView, stateLabel } from './session-state.ts';

/**
 * The pure state machine of ARCHITECTURE §3: what `command` by `ctx.actor` does to `session` (the latest session
 * of the task or issue, or undefined). Every refusal names the state and what would work instead.
 */
export function decide(session: SessionView | undefined, command: Command, ctx: DecisionContext): Decision {
  if (command.name === 'status') return decideStatus(session);
  // Authorize before looking at state: an outsider learns nothing new and cannot probe the gates.
  if (!ctx.actor.authorized) {
    return refuse(
      `@${ctx.actor.login} may not say \`${commandPhrase(command)}\`: commands need write access to this ` +
        'repository or a listing in `approvers` of the ipo config',
    );
  }
  if (command.name === 'start') return decideStart(session, command.taskId, ctx.actor.login);
  if (session === undefined) return noSessionRefusal(command);
  if (!isActive(session.status)) return terminalRefusal(session, command);
  switch (command.name) {
    case 'proceed':
      return decideProceed(session, command.phase, ctx, command.feedback);
    case 'retry':
      return decideRetry(session, command.phase, command.feedback);
    case 'rollback':
      return decideRollback(session, command.phase);
    case 'cancel':
      return decideCancel(session);
    default: {
      const never: never = command;
      return never;
    }
  }
}

/** A new session starts with alignment unless the task's latest session is still active. */
function decideStart(session: SessionView | undefined, taskId: string, startedBy: string): Decision {
  if (!isTaskId(taskId)) {
    return refuse(
      `\`${taskId}\` is not a task id: expected X.Y or X.Y.Z in digits, e.g. \`I'm going to start phase 2.4\``,
    );
  }
  if (session !== undefined && isActive(session.status)) {
    return refuse(
      `session ${session.id} is still active (${stateLabel(session.status)}); say \`cancel session\` first`,
    );
  }
  return {
    kind: 'accept',
    next: { kind: 'running', phase: 'alignment', attempt: 1 },
    effects: [
      { type: 'create-session', taskId, startedBy },
      { type: 'dispatch', phase: 'alignment', attempt: 1 },
    ],
    message: `@${startedBy} started a session for task ${taskId}; alignment runs (attempt 1)`,
  };
}

/** Cancelling stops the running phase, if any; the branch and artifacts stay for the record. */
function decideCancel(session: SessionView): Decision {
  const status = session.status;
  const running = status.kind === 'running';
  return {
    kind: 'accept',
    next: { kind: 'cancelled' },
    effects: running ? [{ type: 'cancel-run', phase: status.phase, attempt: status.attempt }] : [],
    message: running
      ? `session ${session.id} cancelled; stopping ${status.phase} (attempt ${status.attempt})`
      : `session ${session.id} cancelled (was ${stateLabel(status)})`,
  };
}

function decideStatus(session: SessionView | undefined): Decision {
  return {
    kind: 'accept',
    next: null,
    effects: [{ type: 'report-status' }],
    message:
      session === undefined
        ? 'there is no session yet'
        : `session ${session.id} is ${stateLabel(session.status)}`,
  };
}
