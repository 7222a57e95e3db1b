import type { Octokit } from '@octokit/rest';
import type { Phase } from '../core/phases.ts';
import { sessionBranch } from '../core/session/session-branch.ts';
import { pushBranch } from '../git/push.ts';
import { ensureDraftPullRequest, markReadyForReview } from '../github/pull-request.ts';
import type { PhaseContext, PhaseOutput } from '../phases/phase-context.ts';

export interface PublishDeps {
  octokit: Octokit;
  repo: { owner: string; repo: string };
  remoteUrl: string;
  token: string;
  issueNumber: number;
  /** This run's session: the only branch it may push is `ipo/<session>`. */
  session: string;
  /** Session-branch head when this run started (what the remote branch must still be at). */
  startSha: string;
}

/**
 * Implementation pushes its commits and opens (or updates) the draft PR; commit force-pushes the squashed commit
 * (with a lease on the approved head) and marks the PR ready for review. Other phases change nothing remote.
 */
export async function publishResult(
  deps: PublishDeps,
  output: PhaseOutput<Phase>,
  ctx: PhaseContext,
): Promise<PhaseOutput<Phase>> {
  const { ledger } = ctx;
  if (ctx.ledger.status.kind !== 'running') return output;
  const phase = ctx.ledger.status.phase;
  if (phase !== 'implementation' && phase !== 'commit') return output;
  await pushBranch({
    cwd: ctx.workspace,
    remoteUrl: deps.remoteUrl,
    token: deps.token,
    session: deps.session,
    force: { expectedSha: deps.startSha },
  });
  const pr = await ensureDraftPullRequest(deps.octokit, deps.repo, {
    head: sessionBranch(deps.session),
    base: ledger.baseBranch,
    title: `${ledger.task.title} (task ${ledger.taskId})`,
    body: [
      `Session \`${ledger.session}\` of [isolated-phase-orchestrator](https://github.com/${deps.repo.owner}/${deps.repo.repo}): task ${ledger.taskId}.`,
      '',
      `Refs #${deps.issueNumber}. Progress, approvals and the audit trail are in the status comment on the issue.`,
    ].join('\n'),
  });
  if (phase === 'commit' && output.body) {
    // A pull request opened for review already (no drafts on this plan) has nothing to mark.
    if (pr.draft) await markReadyForReview(deps.octokit, pr.nodeId);
    return {
      ...output,
      body: {
        ...(output.body as object),
        pr: { number: pr.number, url: pr.url },
      } as PhaseOutput<Phase>['body'],
    };
  }
  return output;
}
