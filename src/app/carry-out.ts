import type { Octokit } from '@octokit/rest';
import type { Command } from '../core/commands/command.ts';
import type { Decision } from '../core/session/decision.ts';
import { sessionBranch } from '../core/session/session-branch.ts';
import type { RepoRef } from '../github/repo-ref.ts';
import type { StatusMarker } from '../github/status-marker.ts';
import { type StatusComment, upsertStatusComment } from '../github/sticky-comment.ts';
import type { Config } from '../state/config.ts';
import { claimDispatch } from './claim.ts';
import { type DispatchInputs, dispatchPhase, findRun, runName } from './dispatch-phase.ts';
import { markerAfter } from './marker-after.ts';
import { renderMarkerComment } from './marker-comment.ts';
import { claimSessionStart, deleteRef } from './start-session.ts';
import type { UndoLog } from './undo-log.ts';

/** Everything an accepted command needs to be carried out on GitHub. */
export interface CarryOutRequest {
  octokit: Octokit;
  repo: RepoRef;
  config: Config;
  command: Command;
  decision: Extract<Decision, { kind: 'accept' }>;
  issueNumber: number;
  /** The webhook's repository: its default branch is where dispatches and settings come from. */
  defaultBranch: string;
  /** `https://github.com/o/r/actions/runs`, for the run links in the status comment. */
  runsUrl: string;
  /** The issue's status comment as read for this command (null: none yet). */
  sticky: StatusComment | null;
  /** The session branch's head when the command was decided (the default branch's head for a start). */
  head: string | undefined;
  comment: { login: string; url: string };
  now: Date;
  runLookup: { attempts: number; delayMs: number };
  /** Changes made so far, to put back if a later step fails. */
  undo: UndoLog;
}

export type CarryOutResult =
  | {
      kind: 'done';
      marker: StatusMarker | undefined;
      dispatched?: { phase: string; attempt: number; runId: number | null };
    }
  /** Another approval, redelivery or app instance holds the claim: it does the work, this one says nothing. */
  | { kind: 'lost' };

/**
 * Carries out the decision's effects in order: claims (a 422 means someone else won), the session branch, the
 * status comment (written before dispatching and never after: the job reports its own run, and a later write here
 * could overwrite that report), then the dispatch. Every change is recorded in `undo` as it is made.
 */
export async function carryOut(r: CarryOutRequest): Promise<CarryOutResult> {
  const { octokit, repo, decision, undo } = r;
  let marker = r.sticky?.marker;
  let head = r.head;
  let pendingBranch: Promise<unknown> | undefined;
  let dispatched: { phase: string; attempt: number; runId: number | null } | undefined;

  for (const effect of decision.effects) {
    switch (effect.type) {
      case 'create-session': {
        if (!head) throw new Error(`the default branch ${r.defaultBranch} has no commits`);
        const base = head;
        const session = await claimSessionStart(
          octokit,
          repo,
          {
            issueNumber: r.issueNumber,
            taskId: effect.taskId,
            previousSession: marker?.session,
            base,
            now: r.now,
          },
          undo,
        );
        if (!session) return { kind: 'lost' };
        const branch = sessionBranch(session);
        // The branch and the status comment do not depend on each other: both are written at once below.
        pendingBranch = octokit.rest.git
          .createRef({ ...repo, ref: `refs/heads/${branch}`, sha: base })
          .then(() =>
            undo.add(`the branch ${branch}`, () => deleteRef(octokit, repo, `refs/heads/${branch}`)),
          );
        // Awaited below; this only keeps a failure from counting as unhandled in the meantime.
        pendingBranch.catch(() => undefined);
        marker = {
          session,
          taskId: effect.taskId,
          branch,
          state: { kind: 'running', phase: 'alignment', attempt: 1 },
          startedBy: effect.startedBy,
          issueNumber: r.issueNumber,
          baseBranch: r.defaultBranch,
          attempts: { alignment: 0, implementation: 0, verification: 0, commit: 0 },
          bases: { alignment: base },
          digests: {},
          runs: [],
        };
        break;
      }
      case 'reset-branch': {
        if (!marker) break;
        const ref = `heads/${marker.branch}`;
        const before = head;
        await octokit.rest.git.updateRef({ ...repo, ref, sha: effect.toSha, force: true });
        if (before) {
          undo.add(`the reset of ${marker.branch}`, () =>
            octokit.rest.git.updateRef({ ...repo, ref, sha: before, force: true }),
          );
        }
        head = effect.toSha;
        break;
      }
      case 'dispatch': {
        if (!marker) break;
        const sha = effect.base ?? head ?? '';
        // A start already claimed alignment-1 together with its session id.
        if (r.command.name !== 'start') {
          const claim = { session: marker.session, ...effect, sha };
          if (!(await claimDispatch(octokit, repo, claim))) return { kind: 'lost' };
          const ref = `refs/ipo/claims/${marker.session}/${effect.phase}-${effect.attempt}`;
          undo.add(`the claim ${ref}`, () => deleteRef(octokit, repo, ref));
        }
        marker = markerAfter(marker, decision);
        // Both settle before any failure is raised, so each write that landed has its undo step recorded.
        for (const write of await Promise.allSettled([pendingBranch, writeSticky(r, marker)])) {
          if (write.status === 'rejected') throw write.reason;
        }
        pendingBranch = undefined;
        const inputs: DispatchInputs = {
          session: marker.session,
          phase: effect.phase,
          attempt: effect.attempt,
          ...(marker.lastRunId ? { previousRunId: marker.lastRunId } : {}),
          issueNumber: r.issueNumber,
          ...(sha ? { approvedSha: sha } : {}),
          ...(effect.feedback ? { feedback: effect.feedback } : {}),
          requestedBy: r.comment.login,
          commentUrl: r.comment.url,
        };
        const runId = await dispatchOrFind(r, inputs);
        dispatched = { phase: effect.phase, attempt: effect.attempt, runId };
        break;
      }
      case 'cancel-run': {
        if (!marker) break;
        const name = runName({ ...effect, session: marker.session, issueNumber: r.issueNumber });
        const runId = await findRun(octokit, repo, r.config.workflow, name);
        // A run that already ended cannot be cancelled (409): the session is cancelled all the same.
        if (runId)
          await octokit.rest.actions.cancelWorkflowRun({ ...repo, run_id: runId }).catch(() => undefined);
        break;
      }
      case 'record-approval':
      case 'report-status':
        // The job records approvals in the ledger (it replays this command); status is answered by the caller.
        break;
      default: {
        const never: never = effect;
        throw new Error(`unhandled effect ${JSON.stringify(never)}`);
      }
    }
  }
  await pendingBranch;
  if (marker && !dispatched) {
    marker = markerAfter(marker, decision);
    await writeSticky(r, marker);
  }
  return { kind: 'done', marker, ...(dispatched ? { dispatched } : {}) };
}

/** Writes the status comment, recording how to put the previous one back. */
async function writeSticky(r: CarryOutRequest, marker: StatusMarker): Promise<void> {
  const body = renderMarkerComment(marker, (id) => `${r.runsUrl}/${id}`);
  const written = await upsertStatusComment(r.octokit, r.repo, r.issueNumber, body, {
    session: marker.session,
    known: r.sticky,
  });
  const previous = r.sticky;
  if (written.created) {
    r.undo.add('the status comment', () =>
      r.octokit.rest.issues.deleteComment({ ...r.repo, comment_id: written.id }),
    );
  } else if (previous) {
    r.undo.add('the status comment', () =>
      r.octokit.rest.issues.updateComment({ ...r.repo, comment_id: previous.id, body: previous.body }),
    );
  }
}

/**
 * Dispatches; when GitHub fails on the dispatch itself, looks for the run before calling it failed: a 5xx or a
 * dropped connection can come after the run was created, and undoing the claim then would allow a second run.
 */
async function dispatchOrFind(r: CarryOutRequest, inputs: DispatchInputs): Promise<number | null> {
  const target = { workflow: r.config.workflow, ref: r.defaultBranch };
  try {
    return await dispatchPhase(r.octokit, r.repo, target, inputs, r.runLookup);
  } catch (error) {
    const status = (error as { status?: number }).status ?? 500;
    if (status < 500) throw error;
    const runId = await findRun(r.octokit, r.repo, r.config.workflow, runName(inputs)).catch(() => null);
    if (runId) return runId;
    throw error;
  }
}
