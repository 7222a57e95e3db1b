import type { SessionView } from '../core/session/session-state.ts';
import type { Ledger } from './ledger.ts';

/** The pure view the core state machine decides on, built from a validated ledger. */
export function toSessionView(ledger: Ledger): SessionView {
  return {
    id: ledger.session,
    taskId: ledger.taskId,
    startedBy: ledger.startedBy,
    status: ledger.status,
    attempts: { ...ledger.attempts },
    bases: { ...ledger.bases },
    digests: { ...ledger.digests },
  };
}
