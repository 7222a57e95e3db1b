import { type GatedPhase, PHASE_PROGRESSIVE, type Phase } from '../phases.ts';

/** What the session is doing now (ARCHITECTURE §3). */
export type SessionStatus =
  | { kind: 'running'; phase: Phase; attempt: number }
  | {
      kind: 'awaiting';
      gate: GatedPhase;
      /** The approval binds to this artifact digest and session-branch head; a later push makes it stale. */
      approves: { digest: string; head: string };
    }
  | { kind: 'failed'; phase: Phase; attempt: number; error: string }
  | { kind: 'blocked'; phase: Phase; attempt: number; reason: string }
  | { kind: 'complete' }
  | { kind: 'cancelled' };

export type SessionStatusKind = SessionStatus['kind'];

/** The pure view of a session that decisions are made on; adapters build it from the ledger. */
export interface SessionView {
  id: string;
  taskId: string;
  /** Login of the person who started the session (for `requireDistinctApprover`). */
  startedBy: string;
  status: SessionStatus;
  /** Attempts made so far per phase (0 = never run). */
  attempts: Record<Phase, number>;
  /**
   * Session-branch commit each phase's current round started from; rollback resets the branch to it. Set from a
   * `dispatch` effect's `base` (retries keep it); for alignment, the commit the session branch was cut from.
   */
  bases: Partial<Record<Phase, string>>;
  /**
   * sha256 of the artifact of each phase's latest successful attempt. Rollback of P reopens the gate before P
   * approving `digests[phase before P]`; a `reset-branch` of P drops the digests of P and later phases.
   */
  digests: Partial<Record<Phase, string>>;
}

/** The state name of ARCHITECTURE §3: `aligning`, `awaiting:commit`, `failed:verification`, … */
export function stateLabel(status: SessionStatus): string {
  switch (status.kind) {
    case 'running':
      return PHASE_PROGRESSIVE[status.phase];
    case 'awaiting':
      return `awaiting:${status.gate}`;
    case 'failed':
      return `failed:${status.phase}`;
    case 'blocked':
      return `blocked:${status.phase}`;
    case 'complete':
      return 'complete';
    case 'cancelled':
      return 'cancelled';
    default: {
      const never: never = status;
      return never;
    }
  }
}

/** A session is active until it completes or is cancelled. */
export function isActive(status: SessionStatus): boolean {
  return status.kind !== 'complete' && status.kind !== 'cancelled';
}
