import type { Octokit } from '@octokit/rest';
import type { Context } from 'probot';
import { parseComment } from '../../core/commands/parse-comment.ts';
import { decide } from '../../core/session/decide.ts';
import { sameLogin } from '../../core/session/refusals.ts';
import { stateLabel } from '../../core/session/session-state.ts';
import { describeApiFailure } from '../../github/describe-api-failure.ts';
import { codeSpan } from '../../github/markdown.ts';
import type { RepoRef } from '../../github/repo-ref.ts';
import { markerView } from '../../github/status-marker.ts';
import { readStatusComment } from '../../github/sticky-comment.ts';
import type { AppDeps } from '../app-deps.ts';
import { hasWriteAccess } from '../authorize.ts';
import { carryOut } from '../carry-out.ts';
import { loadRepoConfig } from '../load-repo-config.ts';
import { branchSha, isForkPullRequest } from '../repo-lookups.ts';
import { UndoLog } from '../undo-log.ts';

type CommentContext = Context<'issue_comment.created'>;

/**
 * `issue_comment.created` → parse → (bots and non-commands ignored) → config → authorize → session state from the
 * sticky marker → decide → claim → dispatch → react. When GitHub fails on the way, whatever was changed is put back
 * and the person is told what failed and that commenting again is safe.
 */
export async function handleIssueComment(context: CommentContext, deps: AppDeps): Promise<void> {
  const { comment, issue, sender } = context.payload;
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
  const defaultBranch = context.payload.repository.default_branch;
  const undo = new UndoLog();

  try {
    // Independent lookups at once: the webhook's latency is the sum of sequential round trips.
    const [config, sticky, permitted, defaultHead] = await Promise.all([
      loadRepoConfig(context),
      readStatusComment(octokit, repo, issue.number),
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
    const authorized = permitted || config.value.approvers.some((a) => sameLogin(a, login));
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
    const result = await carryOut({
      octokit,
      repo,
      config: config.value,
      command,
      decision,
      issueNumber: issue.number,
      defaultBranch,
      runsUrl: `${context.payload.repository.html_url}/actions/runs`,
      sticky,
      head: command.name === 'start' ? defaultHead : branchHead,
      comment: { login, url: comment.html_url },
      now: deps.now(),
      runLookup: deps.runLookup,
      undo,
    });
    if (result.kind === 'lost') return;
    if (result.dispatched)
      context.log.info({ session: result.marker?.session, ...result.dispatched }, 'ipo: dispatched');
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

async function reply(octokit: Octokit, repo: RepoRef, issueNumber: number, body: string): Promise<void> {
  await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body });
}
