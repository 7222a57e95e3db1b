import type { GatedPhase, Phase } from '../phases.ts';
import type { SessionStatus } from './session-state.ts';

/** Who gave the command; authorization is decided at the edge (GitHub permission, config approvers). */
export interface Actor {
  login: string;
  authorized: boolean;
}

/** Facts the edge looked up that a decision depends on. */
export interface DecisionContext {
  actor: Actor;
  requireDistinctApprover: boolean;
  /** Current head of the session branch, to refuse stale approvals. Undefined when there is no session. */
  branchHead?: string;
}

/** Something an adapter must carry out after an accepted decision, in order. */
export type Effect =
  | { type: 'create-session'; taskId: string; startedBy: string }
  | { type: 'record-approval'; gate: GatedPhase; approver: string; digest: string; head: string }
  | { type: 'reset-branch'; phase: Phase; toSha: string }
  | {
      type: 'dispatch';
      phase: Phase;
      attempt: number;
      feedback?: string;
      /**
       * Commit this run starts from, when it starts a new round of the phase (after a gate or a rollback): the
       * engine (`advanceSession`) records it as `bases[phase]` and the job checks out exactly this sha. Absent on a retry (the
       * run continues from the branch head and the base stays) and on start (the branch does not exist yet).
       */
      base?: string;
    }
  | { type: 'cancel-run'; phase: Phase; attempt: number }
  | { type: 'report-status' };

/**
 * `next` is the status after the command, or null when it does not change (`ipo status`). `advanceSession` turns
 * an accepted decision into the next view (after a `reset-branch` of P it also drops `bases` of phases after P and
 * `digests` of P and later: that work is gone); adapters carry out only the effects outside the view.
 */
export type Decision =
  | { kind: 'accept'; next: SessionStatus | null; effects: Effect[]; message: string }
  | { kind: 'refuse'; reason: string };

/** A decision `decide` accepted: the only kind that changes a session. */
export type AcceptedDecision = Extract<Decision, { kind: 'accept' }>;
