import type { Octokit } from '@octokit/rest';
import type { Context } from 'probot';
import { checkRunIdentity, type RunExpectation } from '../../core/dispatch/check-previous-run.ts';
import { parseRunName } from '../../core/dispatch/run-name.ts';
import { type Phase, proceedPhrase } from '../../core/phases.ts';
import { recoveryOffer } from '../../core/session/recovery-offer.ts';
import { unreportedRunResult } from '../../core/session/unreported-run-result.ts';
import { sealMarker } from '../../github/marker-trust.ts';
import { runCommitProblem } from '../../github/previous-run.ts';
import type { RepoRef } from '../../github/repo-ref.ts';
import { markerView, type StatusMarker, withRun } from '../../github/status-marker.ts';
import { readStatusComment, upsertStatusComment } from '../../github/sticky-comment.ts';
import { codeSpan } from '../../report/markdown.ts';
import type { HandlerDeps } from '../index.ts';
import { loadRepoConfig } from '../load-repo-config.ts';
import { markerAfterResult } from '../marker-after.ts';
import { renderMarkerComment } from '../marker-comment.ts';

/**
 * `workflow_run.completed` of one of our phase runs (mapped by its run-name): say on the issue what happened and what
 * the person can say next. A run that ended without reporting (crash, cancel, time-out) is recorded as failed.
 */
export async function handleWorkflowRun(
  context: Context<'workflow_run.completed'>,
  deps: HandlerDeps,
): Promise<void> {
  const run = context.payload.workflow_run;
  // Cheap filters first: only a dispatched run whose run-name names a session can be one of ours.
  if (run.event !== 'workflow_dispatch') return;
  // `display_title` is the run-name the phase workflow sets; `name` is the workflow's own name.
  const ours = parseRunName(run.display_title ?? run.name ?? '');
  if (!ours) return;
  const octokit = context.octokit as unknown as Octokit;
  const repo = context.repo();
  const repository = context.payload.repository;
  const trust = await deps.trustFor(repository.full_name);
  const [sticky, config] = await Promise.all([
    readStatusComment(octokit, repo, ours.issueNumber, trust, ours.session),
    loadRepoConfig(context),
  ]);
  if (!sticky) return;
  // Any writer can dispatch any workflow, from any branch or tag, with any run-name: only a run of the configured
  // ipo workflow on the default branch's own history may move a session (fail it, record a crash).
  const problem = config.ok
    ? await runProblem(octokit, repo, run, {
        repository: repository.full_name,
        workflow: config.value.workflow,
        defaultBranch: repository.default_branch,
        session: ours.session,
        issueNumber: ours.issueNumber,
      })
    : `the settings cannot be read (${config.message})`;
  if (problem) {
    context.log.warn({ runId: run.id, session: ours.session }, `ipo: run ${run.id} ignored: it ${problem}`);
    return;
  }
  const phase = ours.phase as Phase;
  const conclusion = run.conclusion ?? 'unknown';
  if (conclusion === 'cancelled' && config.ok) {
    const other = await sameNameRunGoingOn(octokit, repo, config.value.workflow, run);
    if (other) {
      context.log.info(
        { runId: run.id, other, session: ours.session },
        'ipo: a duplicate run was cancelled while run %d of the same phase attempt goes on; the session is unchanged',
        other,
      );
      return;
    }
  }
  let marker = withRun(sticky.marker, { phase, attempt: ours.attempt, runId: run.id, conclusion });
  const link = `[run](${run.html_url})`;
  // A run that reported moved the session on already, so this result is stale and changes nothing.
  const after = markerAfterResult(marker, unreportedRunResult({ phase, attempt: ours.attempt, conclusion }));
  if (after.step.kind === 'advanced') {
    marker = { ...after.marker, version: marker.version + 1 };
    const runsUrl = run.html_url.replace(/\/\d+$/, '');
    await upsertStatusComment(
      octokit,
      repo,
      ours.issueNumber,
      renderMarkerComment(sealMarker(marker, trust.key), (id) => `${runsUrl}/${id}`),
      { session: marker.session, known: sticky, trust },
    );
  }
  await octokit.rest.issues.createComment({
    ...repo,
    issue_number: ours.issueNumber,
    body: outcomeText(marker, phase, ours.attempt, link),
  });
}

type PayloadRun = Context<'workflow_run.completed'>['payload']['workflow_run'];

/**
 * Another run of the same name (phase attempt) that has not completed, or null. The phase workflow's concurrency
 * group keeps one run and one pending per session, and GitHub cancels the pending one when a newer run arrives
 * (https://docs.github.com/en/actions/how-tos/write-workflows/choose-when-workflows-run/control-workflow-concurrency):
 * a hand-dispatched duplicate cancelled that way is reported at once, while ipo's own run still works. Read as the
 * attempt having failed, it would offer `retry`, and a retry would wait in the group behind the run it repeats.
 */
async function sameNameRunGoingOn(
  octokit: Octokit,
  repo: RepoRef,
  workflow: string,
  run: PayloadRun,
): Promise<number | null> {
  // https://docs.github.com/en/rest/actions/workflow-runs#list-workflow-runs-for-a-workflow (newest first)
  const { data } = await octokit.rest.actions.listWorkflowRuns({
    ...repo,
    workflow_id: workflow,
    event: 'workflow_dispatch',
    per_page: 100,
  });
  const other = data.workflow_runs.find(
    (r) => r.id !== run.id && r.display_title === run.display_title && r.status !== 'completed',
  );
  return other?.id ?? null;
}

/** Why `run` does not speak for the session `want` names, or null (see `checkRunIdentity`, `runCommitProblem`). */
async function runProblem(
  octokit: Octokit,
  repo: RepoRef,
  run: PayloadRun,
  want: RunExpectation,
): Promise<string | null> {
  const identity = checkRunIdentity(
    {
      id: run.id,
      repository: run.repository.full_name,
      headRepository: run.head_repository?.full_name ?? null,
      path: run.path,
      headBranch: run.head_branch,
      headSha: run.head_sha,
      event: run.event,
      displayTitle: run.display_title ?? '',
    },
    want,
  );
  if (!identity.ok) return identity.reason;
  return runCommitProblem(octokit, repo, { headSha: run.head_sha }, want.defaultBranch);
}

/** One short comment: what happened to the run, and the exact phrases that move the session on. */
function outcomeText(marker: StatusMarker, phase: Phase, attempt: number, link: string): string {
  const state = marker.state;
  // The same offer the state machine makes in its refusals: retry, every rollback it would accept, or cancel.
  const offer = () => {
    const text = recoveryOffer(markerView(marker), phase);
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  };
  switch (state.kind) {
    case 'awaiting':
      return `✅ ${phase} attempt ${attempt} succeeded (${link}). To continue, comment ${codeSpan(proceedPhrase(state.gate))}.`;
    case 'complete':
      return `✅ ${phase} succeeded (${link}): session \`${marker.session}\` is complete and its pull request is ready for review.`;
    case 'blocked':
      return `■ ${phase} attempt ${attempt} is blocked (${link}): ${state.reason}\n\nA person decides. ${offer()}`;
    case 'failed':
      return `✗ ${phase} attempt ${attempt} failed (${link}): ${state.error}\n\n${offer()}`;
    case 'running':
      return `${phase} attempt ${attempt} finished (${link}); session \`${marker.session}\` is now running ${state.phase}.`;
    case 'cancelled':
      return `${phase} attempt ${attempt} ended (${link}); the session was cancelled.`;
    default: {
      const never: never = state;
      return never;
    }
  }
}
