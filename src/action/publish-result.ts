import type { Octokit } from '@octokit/rest';
import { sessionBranch } from '../core/session/session-branch.ts';
import { pushBranch } from '../git/push.ts';
import { ensureDraftPullRequest, markReadyForReview } from '../github/pull-request.ts';
import type { Ledger } from '../state/ledger.ts';

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

export interface Publication {
  phase: 'implementation' | 'commit';
  /** A repository holding `head` (the write job's checkout, with the agent's commits imported). */
  cwd: string;
  head: string;
  ledger: Ledger;
}

/**
 * Implementation pushes its commits and opens (or updates) the draft PR; commit force-pushes the squashed commit
 * (with a lease on the approved head) and marks the PR ready for review. Returns the PR.
 */
export async function publishResult(
  deps: PublishDeps,
  what: Publication,
): Promise<{ number: number; url: string; draft: boolean }> {
  const { ledger } = what;
  await pushBranch({
    cwd: what.cwd,
    ref: what.head,
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
  // A pull request opened for review already (no drafts on this plan) has nothing to mark.
  if (what.phase === 'commit' && pr.draft) await markReadyForReview(deps.octokit, pr.nodeId);
  return { number: pr.number, url: pr.url, draft: pr.draft };
}
