import type { Octokit } from '@octokit/rest';
import type { Context } from 'probot';
import type { Command } from '../../core/commands/command.ts';
import { parseComment } from '../../core/commands/parse-comment.ts';
import { stateArtifactName } from '../../core/dispatch/run-name.ts';
import { stateExpiry, stateExpiryText } from '../../core/dispatch/state-expiry.ts';
import { PHASES } from '../../core/phases.ts';
import { commandPhrase } from '../../core/session/command-phrase.ts';
import { decide } from '../../core/session/decide.ts';
import type { Decision, DecisionContext } from '../../core/session/decision.ts';
import { sameLogin } from '../../core/session/refusals.ts';
import { stateLabel } from '../../core/session/session-state.ts';
import { describeApiFailure } from '../../github/describe-api-failure.ts';
import type { StateTrust } from '../../github/marker-trust.ts';
import { checkPreviousRunOnGitHub, runArtifacts } from '../../github/previous-run.ts';
import type { RepoRef } from '../../github/repo-ref.ts';
import { markerView, type StatusMarker } from '../../github/status-marker.ts';
import {
  type RefusedStatusComment,
  readIssueStatus,
  type StatusComment,
} from '../../github/sticky-comment.ts';
import { codeSpan } from '../../report/markdown.ts';
import type { Config } from '../../state/config.ts';
import { hasWriteAccess } from '../authorize.ts';
import { carryOut } from '../carry-out.ts';
import { claimRef } from '../claim.ts';
import { type ClaimOutcome, claimCommand, versionClaim } from '../claim-command.ts';
import { findRun, runName } from '../dispatch-phase.ts';
import type { HandlerDeps } from '../index.ts';
import { loadRepoConfig } from '../load-repo-config.ts';
import { branchSha, isForkPullRequest } from '../repo-lookups.ts';
import { branchDistrust, readBranch, rollbackDistrust } from '../session-facts.ts';
import { claimSessionStart, deleteRef } from '../start-session.ts';
import { UndoLog } from '../undo-log.ts';

type CommentContext = Context<'issue_comment.created'>;
type Accepted = Extract<Decision, { kind: 'accept' }>;

/**
 * `issue_comment.created` → parse → (bots and non-commands ignored) → config → authorize → session state from ipo's
 * own, sealed status comment → decide → facts checked against GitHub and claims, at once → carry out → react. When
 * GitHub fails on the way, whatever was changed is put back and the person is told what failed.
 */
export async function handleIssueComment(context: CommentContext, deps: HandlerDeps): Promise<void> {
  const { comment, issue, sender, repository } = context.payload;
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
  const login = user.login;
  const defaultBranch = repository.default_branch;
  const undo = new UndoLog();

  try {
    const trust = await deps.trustFor(repository.full_name);
    // Independent lookups at once: the webhook's latency is the sum of sequential round trips.
    const [config, status, permitted, defaultHead] = await Promise.all([
      loadRepoConfig(context),
      readIssueStatus(octokit, repo, issue.number, trust),
      hasWriteAccess(octokit, repo, login),
      command.name === 'start' ? branchSha(octokit, repo, defaultBranch) : undefined,
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
    // The session's state is the newest status comment by ipo itself; one it cannot trust stops every command.
    if (status.latest?.kind === 'refused') return say(refusedStatusText(status.latest.comment, command));
    const sticky = status.latest?.comment ?? null;
    const marker = sticky?.marker;
    const authorized = permitted || config.value.approvers.some((a) => sameLogin(a, login));
    const decisionContext: DecisionContext = {
      actor: { login, authorized },
      requireDistinctApprover: config.value.requireDistinctApprover,
    };
    // Decided first without the branch head (looked up below, with the claims); decided again once it is known.
    const preliminary = decide(marker ? markerView(marker) : undefined, command, decisionContext);
    if (preliminary.kind === 'refuse') return say(preliminary.reason);
    if (command.name === 'status') {
      if (!marker) return say(preliminary.message);
      const expiry = await stateExpiryNotice(octokit, repo, marker, deps.now());
      return say(
        `session \`${marker.session}\` is ${stateLabel(marker.state)}; see the status comment.` +
          (expiry ? `\n\n${expiry}` : ''),
      );
    }
    const common = {
      octokit,
      repo,
      config: config.value,
      command,
      issueNumber: issue.number,
      defaultBranch,
      runsUrl: `${repository.html_url}/actions/runs`,
      sticky,
      comment: { id: comment.id, login, url: comment.html_url },
      issue: { title: issue.title, body: issue.body ?? '' },
      trust,
      now: deps.now(),
      runLookup: deps.runLookup,
      undo,
    };

    if (command.name === 'start' || !marker) {
      if (!defaultHead) throw new Error(`the default branch ${defaultBranch} has no commits`);
      const create = preliminary.effects.find((e) => e.type === 'create-session');
      // Settled together: a failure of one must not leave the other's claims unrecorded for the undo below.
      const [commentClaim, sessionClaim] = await Promise.allSettled([
        claimCommand(octokit, repo, { commentId: comment.id, sha: defaultHead }, undo),
        claimSessionStart(
          octokit,
          repo,
          {
            issueNumber: issue.number,
            taskId: create?.taskId ?? '',
            previousSession: marker?.session,
            base: defaultHead,
            now: deps.now(),
          },
          undo,
        ),
      ]);
      if (commentClaim.status === 'rejected') throw commentClaim.reason;
      if (sessionClaim.status === 'rejected') throw sessionClaim.reason;
      const [commentClaimed, session] = [commentClaim.value, sessionClaim.value];
      // A redelivery, or another start on this issue that won: that handling replies and reacts.
      // (The comment stays claimed either way: an old start must never act after, say, a cancel.)
      if (commentClaimed !== 'won' || !session) return;
      await carryOut({ ...common, decision: preliminary, head: defaultHead, newSession: session });
    } else {
      const accepted = await claimAndCheck(context, deps, { ...common, marker, trust }, preliminary, say);
      if (!accepted) return;
      const result = await carryOut({ ...common, ...accepted });
      if (result.dispatched)
        context.log.info({ session: marker.session, ...result.dispatched }, 'ipo: dispatched');
    }
  } catch (error) {
    const { changes, left } = await undo.undo();
    context.log.error({ err: error, left }, 'ipo: command failed');
    // Handling failed: a redelivery of this webhook must be handled again, not skipped as seen.
    deps.deliveries.forget(context.id);
    const phrase = (comment.body ?? '').trim().split('\n')[0]?.slice(0, 80) ?? '';
    const outcome =
      left.length > 0
        ? ` These could not be put back: ${left.join('; ')}.`
        : changes > 0
          ? ' What it had changed was put back.'
          : ' Nothing was changed.';
    // If GitHub cannot take this reply either, the delivery fails and can be redelivered from the app's settings.
    await say(
      `ipo could not carry out ${codeSpan(phrase)}: ${describeApiFailure(error)}.${outcome} Comment again to retry.`,
    );
    return;
  }
  await octokit.rest.reactions
    .createForIssueComment({ ...repo, comment_id: comment.id, content: 'rocket' })
    .catch(() => undefined);
}

interface ClaimRequest {
  octokit: Octokit;
  repo: RepoRef;
  config: Config;
  command: Command;
  issueNumber: number;
  defaultBranch: string;
  comment: { id: number; login: string };
  marker: StatusMarker;
  trust: StateTrust;
  undo: UndoLog;
}

/**
 * For a command on an existing session: claims the comment and the marker's version while checking every field the
 * command acts on against GitHub (branch, previous run, rollback target), then decides again with the branch head.
 * Returns the decision to carry out, or null when this handling stops (it has replied where a person should know).
 */
async function claimAndCheck(
  context: CommentContext,
  deps: HandlerDeps,
  r: ClaimRequest,
  preliminary: Accepted,
  say: (text: string) => Promise<void>,
): Promise<{ decision: Accepted; head: string } | null> {
  const { octokit, repo, marker, undo } = r;
  const dispatches = preliminary.effects.some((e) => e.type === 'dispatch');
  const reset = preliminary.effects.find((e) => e.type === 'reset-branch');
  const sha = marker.bases.alignment ?? '';
  const [branch, runProblem, resetProblem, claimed] = await Promise.all([
    readBranch(octokit, repo, marker.branch),
    dispatches && marker.lastRunId
      ? checkPreviousRunOnGitHub(octokit, repo, marker.lastRunId, {
          repository: `${repo.owner}/${repo.repo}`,
          workflow: r.config.workflow,
          defaultBranch: r.defaultBranch,
          session: marker.session,
          issueNumber: marker.issueNumber,
          recordedRunId: marker.lastRunId,
          ...(marker.lastRunSha ? { recordedSha: marker.lastRunSha } : {}),
          expiredStateRefused: true,
        }).then((c) => (c.ok ? null : c.reason))
      : null,
    reset ? rollbackDistrust(octokit, repo, marker, reset.toSha) : null,
    claimCommand(
      octokit,
      repo,
      { commentId: r.comment.id, version: { session: marker.session, version: marker.version }, sha },
      undo,
    ),
  ]);
  if (claimed === 'redelivered') return null;
  let outcome: ClaimOutcome | 'taken-over' = claimed;
  if (claimed === 'lost') {
    const settled = await settleLostClaim(deps, r, sha);
    if (settled.kind === 'lost') {
      // Said on the state the other command left: usually its own refusal ("implementation is still running").
      const now = settled.marker && decide(markerView(settled.marker), r.command, decisionContext(r));
      await say(
        now?.kind === 'refuse'
          ? now.reason
          : `another command changed session \`${marker.session}\` first, so ` +
              `${codeSpan(commandPhrase(r.command))} was not carried out; see the status comment, and say it ` +
              'again if it still applies.',
      );
      return null;
    }
    outcome = 'taken-over';
  }
  // Refused after claiming: the comment stays claimed (it must never act later), the session's version is freed.
  const release = async (reason: string) => {
    const ref = versionClaim(marker.session, marker.version, outcome === 'taken-over' ? 1 : 0);
    await deleteRef(octokit, repo, ref).catch(() => undefined);
    await say(reason);
    return null;
  };
  const branchProblem = branchDistrust(marker, branch, r.defaultBranch);
  if (branchProblem) return release(`ipo will not act on session \`${marker.session}\`: ${branchProblem}.`);
  if (runProblem) {
    return release(
      `ipo will not import the state of session \`${marker.session}\`: ${runProblem}. ` +
        'Say `cancel session` and start a new session if this persists.',
    );
  }
  if (resetProblem) return release(`ipo will not reset ${marker.branch}: ${resetProblem}.`);
  const decision = decide(markerView(marker), r.command, {
    ...decisionContext(r),
    ...(branch ? { branchHead: branch.sha } : {}),
  });
  if (decision.kind === 'refuse') return release(decision.reason);
  if (outcome === 'taken-over') {
    // The holder looked dead, but it may have dispatched just before it stopped: a second run of the same phase
    // attempt would be a second attempt under one name, so a run that exists already is the command carried out.
    const dispatch = decision.effects.find((e) => e.type === 'dispatch');
    const name =
      dispatch &&
      runName({
        session: marker.session,
        phase: dispatch.phase,
        attempt: dispatch.attempt,
        issueNumber: r.issueNumber,
      });
    const existing = name ? await findRun(octokit, repo, r.config.workflow, name, deps.runLookup) : null;
    if (existing) {
      return release(
        `${codeSpan(commandPhrase(r.command))} was carried out already by an earlier handling: run ${existing} is ` +
          `${name}. See the status comment.`,
      );
    }
  }
  context.log.debug({ session: marker.session, version: marker.version }, 'ipo: claimed');
  return { decision, head: branch?.sha ?? '' };
}

/**
 * Another handling holds the claim on this version of the session. Usually it is carrying out its command and will
 * write the status comment within moments: wait for that, with backoff. If nothing changes, its app died between
 * claiming and writing (nothing else was done: the status comment is written before any dispatch), so the claim
 * is taken over — itself claimed, once, so that of several people repeating the phrase only one acts.
 */
async function settleLostClaim(
  deps: HandlerDeps,
  r: ClaimRequest,
  sha: string,
): Promise<{ kind: 'lost'; marker: StatusMarker | undefined } | { kind: 'taken-over' }> {
  const sameSession = (m: StatusMarker | undefined) => (m?.session === r.marker.session ? m : undefined);
  const look = async () => {
    const now = await readIssueStatus(r.octokit, r.repo, r.issueNumber, r.trust);
    return now.latest?.kind === 'trusted' ? now.latest.comment.marker : undefined;
  };
  const { attempts, delayMs } = deps.claimSettle;
  for (let i = 0; i < attempts; i++) {
    await new Promise((resolve) => setTimeout(resolve, delayMs * 2 ** i));
    const latest = await look();
    if (sameSession(latest)?.version !== r.marker.version)
      return { kind: 'lost', marker: sameSession(latest) };
  }
  const ref = versionClaim(r.marker.session, r.marker.version, 1);
  if (!(await claimRef(r.octokit, r.repo, ref, sha))) return { kind: 'lost', marker: undefined };
  r.undo.add(`the claim ${ref}`, () => deleteRef(r.octokit, r.repo, ref));
  // A holder that wrote after the last look is alive after all: give the takeover back and stand down.
  const latest = await look();
  if (sameSession(latest)?.version === r.marker.version) return { kind: 'taken-over' };
  await deleteRef(r.octokit, r.repo, ref).catch(() => undefined);
  return { kind: 'lost', marker: sameSession(latest) };
}

/** The person as the state machine sees them: the handler has already checked they may give commands. */
function decisionContext(r: ClaimRequest): DecisionContext {
  return {
    actor: { login: r.comment.login, authorized: true },
    requireDistinctApprover: r.config.requireDistinctApprover,
  };
}

/** The reply when the newest status comment by ipo cannot be trusted: nothing is done, and how to recover. */
function refusedStatusText(refused: RefusedStatusComment, command: Command): string {
  const which = refused.session ? `of session \`${refused.session}\`` : 'on this issue';
  return (
    `ipo did not act on ${codeSpan(commandPhrase(command))}: the status comment ${which} (${refused.url}) ` +
    `cannot be trusted — ${refused.reason}. Nothing was changed. To recover, a maintainer can restore the ` +
    "comment's last version written by ipo from its edit history (the signed state is in it), or delete that " +
    'comment and start a new session; the artifact chain of the runs holds the full record.'
  );
}

async function reply(octokit: Octokit, repo: RepoRef, issueNumber: number, body: string): Promise<void> {
  await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body });
}

export type { StatusComment };

/**
 * For `ipo status` on a session that waits for a person: a warning when the newest state artifact nears its expiry
 * or has expired (see `stateExpiry`), else null. One more read, on this path only: the status comment is written by
 * the job when the artifact is fresh, so only a later question can tell that time has run on.
 */
async function stateExpiryNotice(
  octokit: Octokit,
  repo: RepoRef,
  marker: StatusMarker,
  now: Date,
): Promise<string | null> {
  const state = marker.state.kind;
  if (!marker.lastRunId || state === 'complete' || state === 'cancelled' || state === 'running') return null;
  const recorded = marker.runs?.find((r) => r.runId === marker.lastRunId);
  const phase = recorded?.phase ?? [...PHASES].reverse().find((p) => marker.attempts[p] > 0);
  if (!phase) return null;
  const name = stateArtifactName({
    session: marker.session,
    phase,
    attempt: recorded?.attempt ?? marker.attempts[phase],
  });
  const artifact = (await runArtifacts(octokit, repo, marker.lastRunId)).find((a) => a.name === name);
  if (!artifact) return null;
  const expiry = stateExpiry(artifact, now);
  const text = stateExpiryText(artifact, expiry, marker.session);
  return text && expiry.kind === 'expired' ? `⚠️ ${text[0]?.toUpperCase()}${text.slice(1)}.` : text;
}
