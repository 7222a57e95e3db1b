import type { SessionView } from './session-state.ts';

export interface NewSession {
  id: string;
  taskId: string;
  startedBy: string;
  /** The commit the session branch is cut from: alignment's base, where `rollback alignment` returns to. */
  base: string;
}

/**
 * The view of a session being created, before its start decision is applied: nothing has run yet. Applying the
 * accepted `start` through `advanceSession` records alignment's first attempt; the ledger and the marker both start
 * here, so a new session looks the same to the app, the job and the CLI.
 */
export function newSessionView(session: NewSession): SessionView {
  return {
    id: session.id,
    taskId: session.taskId,
    startedBy: session.startedBy,
    // Every start decision leads here; the documents need a status before it is applied, and no other fits.
    status: { kind: 'running', phase: 'alignment', attempt: 1 },
    attempts: { alignment: 0, implementation: 0, verification: 0, commit: 0 },
    bases: { alignment: session.base },
    digests: {},
  };
}
