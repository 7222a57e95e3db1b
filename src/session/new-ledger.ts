import { newSessionView } from '../core/session/new-session-view.ts';
import { sessionBranch } from '../core/session/session-branch.ts';
import type { Ledger } from '../state/ledger.ts';
import { LEDGER_SCHEMA_ID } from '../state/ledger.ts';

export interface NewLedgerParams {
  session: string;
  taskId: string;
  task: Ledger['task'];
  startedBy: string;
  baseBranch: string;
  /** The commit the session branch was cut from: alignment's base. */
  baseSha: string;
  at: string;
}

/**
 * The ledger of a session being created, before its start decision is applied (which records alignment's run):
 * `applyDecision(newLedger(…), decide(undefined, start, …))`.
 */
export function newLedger(p: NewLedgerParams): Ledger {
  const view = newSessionView({ id: p.session, taskId: p.taskId, startedBy: p.startedBy, base: p.baseSha });
  return {
    schema: LEDGER_SCHEMA_ID,
    session: p.session,
    taskId: p.taskId,
    startedBy: p.startedBy,
    task: p.task,
    createdAt: p.at,
    branch: sessionBranch(p.session),
    baseBranch: p.baseBranch,
    status: view.status,
    attempts: view.attempts,
    bases: view.bases,
    digests: view.digests,
    runs: [],
    approvals: [],
    events: [
      { at: p.at, type: 'session-started', actor: p.startedBy, detail: `task ${p.taskId}: ${p.task.title}` },
    ],
  };
}
