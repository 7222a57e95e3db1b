import type { Octokit } from '@octokit/rest';
import type { Context } from 'probot';
import type { Command } from '../../core/commands/command.ts';
import { parseComment } from '../../core/commands/parse-comment.ts';
import { decide } from '../../core/session/decide.ts';
import type { Decision } from '../../core/session/decision.ts';
import { sessionBranch } from '../../core/session/session-branch.ts';
import { nextSessionId } from '../../core/session/session-id.ts';
import { stateLabel } from '../../core/session/session-state.ts';
import { markerView, type StatusMarker } from '../../github/status-marker.ts';
import { readStatusComment, upsertStatusComment } from '../../github/sticky-comment.ts';
import type { Config } from '../../state/config.ts';
import type { AppDeps } from '../app-deps.ts';
import { isAuthorized, type RepoRef } from '../authorize.ts';
import { claimDispatch, claimRef } from '../claim.ts';
import { dispatchPhase, findRun, runName } from '../dispatch-phase.ts';
import { loadRepoConfig } from '../load-repo-config.ts';
import { markerAfter } from '../marker-after.ts';
import { renderMarkerComment } from '../marker-comment.ts';

type CommentContext = Context<'issue_comment.created'>;

/**
 * `issue_comment.created` → parse → (bots and non-commands ignored) → config → authorize → session state from the
 * sticky marker → decide → claim → dispatch → react and update the sticky comment.
 */
export async function handleIssueComment(context: CommentContext, deps: AppDeps): Promise<void> {
  const { comment, issue, sender } = context.payload;
  if (deps.seenDelivery(context.id)) return;
  // Bots never command sessions, and never get replies: no loops with other bots or with ourselves.
  const user = comment.user;
  if (user?.type !== 'User' || sender.type === 'Bot') return;
  const parsed = parseComment(comment.body ?? '');
  if (parsed.kind === 'ignore') return;
  const octokit = context.octokit as unknown as Octokit;
  const repo = context.repo();
  // Refusals from `decide` already start with the person's handle; mentioning them twice reads like a glitch.
  const mention = `@${user.login}`;
  const say = (text: string) =>
    reply(octokit, repo, issue.number, text.startsWith(`${mention} `) ? text : `${mention} ${text}`);
  if (parsed.kind === 'reply') return say(parsed.text);
  const command = parsed.command;

  // Independent lookups in parallel: the webhook's latency is the sum of round trips otherwise.
  const login = user.login;
  const [config, sticky, permitted] = await Promise.all([
    loadRepoConfig(context),
    readStatusComment(octokit, repo, issue.number),
    isAuthorized(octokit, repo, login, []),
  ]);
  if (!config.ok) return say(`ipo cannot act on this repository: ${config.message}`);
  if (issue.state === 'closed' && command.name !== 'status') {
    return say('this issue is closed: reopen it to run an ipo session here.');
  }
  if (
    issue.pull_request &&
    !config.value.allowForks &&
    (await isForkPullRequest(octokit, repo, issue.number))
  ) {
    return say('sessions are not run for pull requests from forks (config `allowForks`).');
  }
  const authorized = permitted || config.value.approvers.some((a) => a.toLowerCase() === login.toLowerCase());
  const marker = sticky?.marker;
  const branchHead = marker ? await branchSha(octokit, repo, marker.branch) : undefined;
  const decision = decide(marker ? markerView(marker) : undefined, command, {
    actor: { login, authorized },
    requireDistinctApprover: config.value.requireDistinctApprover,
    ...(branchHead ? { branchHead } : {}),
  });
  if (decision.kind === 'refuse') return say(decision.reason);
  if (command.name === 'status') {
    return say(
      marker
        ? `session \`${marker.session}\` is ${stateLabel(marker.state)}; see the status comment.`
        : decision.message,
    );
  }
  await carryOut(context, deps, config.value, command, decision, marker, branchHead);
}

async function carryOut(
  context: CommentContext,
  deps: AppDeps,
  config: Config,
  command: Command,
  decision: Extract<Decision, { kind: 'accept' }>,
  existing: StatusMarker | undefined,
  branchHead: string | undefined,
): Promise<void> {
  const octokit = context.octokit as unknown as Octokit;
  const repo = context.repo();
  const { comment, issue } = context.payload;
  // The webhook carries the repository: its default branch is where dispatches and settings come from.
  const repository = context.payload.repository;
  const defaultBranch = repository.default_branch;
  let marker = existing;
  let head = branchHead;
  let dispatched = false;
  const runsUrl = `${repository.html_url}/actions/runs`;
  const writeSticky = (m: StatusMarker) =>
    upsertStatusComment(
      octokit,
      repo,
      issue.number,
      renderMarkerComment(m, (id) => `${runsUrl}/${id}`),
      {
        session: m.session,
      },
    );
  for (const effect of decision.effects) {
    switch (effect.type) {
      case 'create-session': {
        const base = await branchSha(octokit, repo, defaultBranch);
        if (!base) throw new Error(`the default branch ${defaultBranch} has no commits`);
        // One start per issue state: racing start comments on this issue all claim the same ref.
        const startClaim = `refs/ipo/claims/issues/${issue.number}/start-after-${existing?.session ?? 'none'}`;
        if (!(await claimRef(octokit, repo, startClaim, base))) return;
        const session = await claimSessionId(octokit, repo, effect.taskId, deps.now(), base);
        if (!session) throw new Error(`could not claim a session id for task ${effect.taskId}`);
        await octokit.rest.git.createRef({ ...repo, ref: `refs/heads/${sessionBranch(session)}`, sha: base });
        head = base;
        marker = {
          session,
          taskId: effect.taskId,
          branch: sessionBranch(session),
          state: { kind: 'running', phase: 'alignment', attempt: 1 },
          startedBy: effect.startedBy,
          issueNumber: issue.number,
          baseBranch: defaultBranch,
          attempts: { alignment: 0, implementation: 0, verification: 0, commit: 0 },
          bases: { alignment: base },
          digests: {},
          runs: [],
        };
        break;
      }
      case 'reset-branch':
        if (!marker) break;
        await octokit.rest.git.updateRef({
          ...repo,
          ref: `heads/${marker.branch}`,
          sha: effect.toSha,
          force: true,
        });
        head = effect.toSha;
        break;
      case 'dispatch': {
        if (!marker) break;
        const sha = effect.base ?? head ?? '';
        const isNewSession = command.name === 'start';
        // A start already claimed alignment-1 together with its session id.
        if (
          !isNewSession &&
          !(await claimDispatch(octokit, repo, { session: marker.session, ...effect, sha }))
        )
          return;
        marker = markerAfter(marker, { ...decision, effects: [effect], next: decision.next });
        // The comment says "running" before the run exists, and the app writes nothing after dispatching: the job
        // reports its own run (with its id), and a later write here could overwrite that report.
        await writeSticky(marker);
        const runId = await dispatchPhase(
          octokit,
          repo,
          { workflow: config.workflow, ref: defaultBranch },
          {
            session: marker.session,
            phase: effect.phase,
            attempt: effect.attempt,
            ...(marker.lastRunId ? { previousRunId: marker.lastRunId } : {}),
            issueNumber: issue.number,
            ...(sha ? { approvedSha: sha } : {}),
            ...(effect.feedback ? { feedback: effect.feedback } : {}),
            requestedBy: comment.user?.login ?? 'unknown',
            commentUrl: comment.html_url,
          },
          deps.runLookup,
        );
        context.log.info(
          { session: marker.session, phase: effect.phase, attempt: effect.attempt, runId },
          'ipo: dispatched',
        );
        dispatched = true;
        break;
      }
      case 'cancel-run': {
        if (!marker) break;
        const runId = await findRun(
          octokit,
          repo,
          config.workflow,
          runName({ ...effect, session: marker.session, issueNumber: issue.number }),
        );
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
  if (marker && !dispatched) await writeSticky(decision.next ? { ...marker, state: decision.next } : marker);
  await octokit.rest.reactions
    .createForIssueComment({ ...repo, comment_id: comment.id, content: 'rocket' })
    .catch(() => undefined);
}

async function reply(octokit: Octokit, repo: RepoRef, issueNumber: number, body: string): Promise<void> {
  await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body });
}

async function branchSha(octokit: Octokit, repo: RepoRef, branch: string): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.git.getRef({ ...repo, ref: `heads/${branch}` });
    return data.object.sha;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

/** Session ids already used for `taskId` (their branches), so a second session that day gets `-2`. */
async function existingSessions(octokit: Octokit, repo: RepoRef, taskId: string): Promise<string[]> {
  const { data } = await octokit.rest.git.listMatchingRefs({ ...repo, ref: `heads/ipo/phase-${taskId}-` });
  return data.map((ref) => ref.ref.replace('refs/heads/ipo/', ''));
}

async function isForkPullRequest(octokit: Octokit, repo: RepoRef, number: number): Promise<boolean> {
  const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: number });
  return Boolean(data.head.repo?.fork) || data.head.repo?.full_name !== data.base.repo.full_name;
}

/**
 * A free session id for `taskId`, claimed (its alignment-1 claim ref): another issue starting the same task at the
 * same moment computes the same id, so the loser moves on to the next one instead of dropping its start.
 */
async function claimSessionId(
  octokit: Octokit,
  repo: RepoRef,
  taskId: string,
  now: Date,
  sha: string,
): Promise<string | null> {
  const taken: string[] = [];
  for (let i = 0; i < 10; i++) {
    const session = nextSessionId(taskId, now, [
      ...(await existingSessions(octokit, repo, taskId)),
      ...taken,
    ]);
    if (await claimDispatch(octokit, repo, { session, phase: 'alignment', attempt: 1, sha })) return session;
    taken.push(session);
  }
  return null;
}
