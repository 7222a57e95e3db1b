import type { Octokit } from '@octokit/rest';
import type { Command } from '../core/commands/command.ts';
import { runName } from '../core/dispatch/run-name.ts';
import type { Decision } from '../core/session/decision.ts';
import { newSessionView } from '../core/session/new-session-view.ts';
import { sessionBranch } from '../core/session/session-branch.ts';
import { type StateTrust, sealMarker } from '../github/marker-trust.ts';
import type { RepoRef } from '../github/repo-ref.ts';
import type { StatusMarker } from '../github/status-marker.ts';
import { type StatusComment, upsertStatusComment } from '../github/sticky-comment.ts';
import type { Config } from '../state/config.ts';
import { type DispatchInputs, dispatchPhase, findRun } from './dispatch-phase.ts';
import { markerAfter, markerOfView } from './marker-after.ts';
import { renderMarkerComment } from './marker-comment.ts';
import { deleteRef } from './start-session.ts';
import { snapshotTask } from './task-snapshot.ts';
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
  /** For a start: the session id the handler claimed. */
  newSession?: string;
  comment: { id: number; login: string; url: string };
  /** The issue as the start comment found it: its text is snapshotted for alignment. */
  issue: { title: string; body: string };
  trust: StateTrust;
  now: Date;
  runLookup: { attempts: number; delayMs: number };
  /** Changes made so far, to put back if a later step fails. */
  undo: UndoLog;
}

export interface CarryOutResult {
  marker: StatusMarker | undefined;
  dispatched?: { phase: string; attempt: number; runId: number | null };
}

/**
 * Carries out the decision's effects in order, once the handler holds the claims: the session branch, the status
 * comment (written before dispatching and never after: the job reports its own run, and a later write here could
 * overwrite that report), then the dispatch. Every change is recorded in `undo` as it is made.
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
        const session = r.newSession;
        if (!head || !session) throw new Error(`the default branch ${r.defaultBranch} has no commits`);
        const base = head;
        const branch = sessionBranch(session);
        const task = snapshotTask(octokit, repo, r.issue);
        // The branch and the status comment do not depend on each other: both are written at once below.
        pendingBranch = Promise.all([
          octokit.rest.git
            .createRef({ ...repo, ref: `refs/heads/${branch}`, sha: base })
            .then(() =>
              undo.add(`the branch ${branch}`, () => deleteRef(octokit, repo, `refs/heads/${branch}`)),
            ),
          task.written,
        ]);
        // Awaited below; this only keeps a failure from counting as unhandled in the meantime.
        pendingBranch.catch(() => undefined);
        // The first version: `advance` below counts this start as version 1.
        marker = markerOfView(
          newSessionView({ id: session, taskId: effect.taskId, startedBy: effect.startedBy, base }),
          {
            repo: r.trust.repo,
            branch,
            issueNumber: r.issueNumber,
            baseBranch: r.defaultBranch,
            runs: [],
            version: 0,
            task: task.ref,
          },
        );
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
        marker = advance(marker, r);
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
          commentId: r.comment.id,
        };
        const runId = await dispatchOrFind(r, inputs);
        dispatched = { phase: effect.phase, attempt: effect.attempt, runId };
        break;
      }
      case 'cancel-run': {
        if (!marker) break;
        const name = runName({ ...effect, session: marker.session, issueNumber: r.issueNumber });
        // A run dispatched moments ago may not be listed yet: poll, or the cancel would miss it.
        const runId = await findRun(octokit, repo, r.config.workflow, name, r.runLookup);
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
    marker = advance(marker, r);
    await writeSticky(r, marker);
  }
  return { marker, ...(dispatched ? { dispatched } : {}) };
}

/**
 * The marker after this command: the session engine's new state, one version on, and this comment added to the
 * commands carried out since the last job's ledger (that job verifies and replays each one of them).
 */
function advance(marker: StatusMarker, r: CarryOutRequest): StatusMarker {
  const next = markerAfter(marker, r.decision);
  return { ...next, version: marker.version + 1, pending: [...(marker.pending ?? []), r.comment.id] };
}

/** Writes the status comment, sealed, recording how to put the previous one back. */
async function writeSticky(r: CarryOutRequest, marker: StatusMarker): Promise<void> {
  const body = renderMarkerComment(sealMarker(marker, r.trust.key), (id) => `${r.runsUrl}/${id}`);
  const written = await upsertStatusComment(r.octokit, r.repo, r.issueNumber, body, {
    session: marker.session,
    known: r.sticky,
    trust: r.trust,
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
    // GitHub's run list can lag behind a dispatch it carried out: poll with backoff before calling it failed.
    const runId = await findRun(r.octokit, r.repo, r.config.workflow, runName(inputs), r.runLookup).catch(
      () => null,
    );
    if (runId) return runId;
    throw error;
  }
}
