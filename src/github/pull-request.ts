import type { Octokit } from '@octokit/rest';
import type { RepoRef } from './repo-ref.ts';

export interface PullRequestRef {
  number: number;
  /** The web URL (`html_url`). */
  url: string;
  /** The GraphQL node id, for `markReadyForReview`. */
  nodeId: string;
  created: boolean;
}

export interface DraftPullRequest {
  /** The session branch, without owner. */
  head: string;
  base: string;
  title: string;
  body: string;
}

type PullFields = { number: number; html_url: string; node_id: string; title: string; body: string | null };

async function findOpen(octokit: Octokit, repo: RepoRef, head: string): Promise<PullFields | undefined> {
  const { data } = await octokit.rest.pulls.list({ ...repo, head: `${repo.owner}:${head}`, state: 'open' });
  return data[0];
}

function isValidationFailure(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { status?: unknown }).status === 422;
}

/**
 * The open pull request from `head`: created as a draft when there is none, else its title and body brought up to
 * date (its draft state is left alone). Idempotent, because the create may be sent twice: by another job that won a
 * race, or by the retry plugin resending a POST that GitHub carried out but answered 5xx. GitHub allows one open
 * pull request per head and base and refuses a second with 422 "Validation Failed" ("A pull request already exists
 * for owner:branch.", https://docs.github.com/en/rest/pulls/pulls#create-a-pull-request lists 422 for a failed
 * validation); the lookup by `head=owner:branch` (same page, "List pull requests") then finds the one that exists,
 * and it is updated instead. API failures propagate as Octokit's `RequestError` (422 when `head` has no commits over
 * `base` or does not exist).
 */
export async function ensureDraftPullRequest(
  octokit: Octokit,
  repo: RepoRef,
  pr: DraftPullRequest,
): Promise<PullRequestRef> {
  let open = await findOpen(octokit, repo, pr.head);
  if (!open) {
    try {
      const { data } = await octokit.rest.pulls.create({ ...repo, ...pr, draft: true });
      return { number: data.number, url: data.html_url, nodeId: data.node_id, created: true };
    } catch (error) {
      open = isValidationFailure(error) ? await findOpen(octokit, repo, pr.head) : undefined;
      if (!open) throw error;
    }
  }
  if (open.title !== pr.title || (open.body ?? '') !== pr.body) {
    await octokit.rest.pulls.update({ ...repo, pull_number: open.number, title: pr.title, body: pr.body });
  }
  return { number: open.number, url: open.html_url, nodeId: open.node_id, created: false };
}

const READY_FOR_REVIEW = `mutation($id: ID!) {
  markPullRequestReadyForReview(input: { pullRequestId: $id }) { pullRequest { isDraft } }
}`;

/**
 * Takes a draft pull request out of draft (REST cannot: a PATCH ignores `draft`). GraphQL errors (an unknown node
 * id, missing permission) propagate as `GraphqlResponseError`; HTTP failures as `RequestError`.
 */
export async function markReadyForReview(octokit: Octokit, nodeId: string): Promise<{ isDraft: boolean }> {
  const result = await octokit.graphql<{
    markPullRequestReadyForReview: { pullRequest: { isDraft: boolean } };
  }>(READY_FOR_REVIEW, { id: nodeId });
  return { isDraft: result.markPullRequestReadyForReview.pullRequest.isDraft };
}
