import type { Octokit } from '@octokit/rest';
import type { RepoRef } from './repo-ref.ts';

export interface PullRequestRef {
  number: number;
  /** The web URL (`html_url`). */
  url: string;
  /** The GraphQL node id, for `markReadyForReview`. */
  nodeId: string;
  created: boolean;
  /** False when the pull request is open for review already: made so where drafts are refused, or by a person. */
  draft: boolean;
}

export interface DraftPullRequest {
  /** The session branch, without owner. */
  head: string;
  base: string;
  title: string;
  body: string;
}

type PullFields = {
  number: number;
  html_url: string;
  node_id: string;
  title: string;
  body: string | null;
  draft?: boolean;
};

/** GitHub's limit on a pull request title: a longer one is refused with 422 (the create would fail after the push). */
const MAX_TITLE = 256;

/** The title as GitHub takes it: cut to `MAX_TITLE` characters (code points), with an ellipsis. */
export function pullRequestTitle(title: string): string {
  const chars = [...title];
  return chars.length <= MAX_TITLE ? title : `${chars.slice(0, MAX_TITLE - 1).join('')}…`;
}

/**
 * GitHub's answer to a draft where the plan has none (a private repository on GitHub Free or Pro): 422 "Draft pull
 * requests are not supported in this repository." (https://docs.github.com/en/pull-requests/collaborating-with-pull-requests/proposing-changes-to-your-work-with-pull-requests/about-pull-requests#draft-pull-requests).
 */
function isDraftRefused(error: unknown): boolean {
  const message = (error as { response?: { data?: { message?: unknown } } }).response?.data?.message;
  return (
    isValidationFailure(error) &&
    typeof message === 'string' &&
    /draft pull requests are not supported/i.test(message)
  );
}

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
  const wanted = { ...pr, title: pullRequestTitle(pr.title) };
  let open = await findOpen(octokit, repo, wanted.head);
  if (!open) {
    try {
      const { data } = await createPull(octokit, repo, wanted);
      return {
        number: data.number,
        url: data.html_url,
        nodeId: data.node_id,
        created: true,
        draft: data.draft ?? false,
      };
    } catch (error) {
      open = isValidationFailure(error) ? await findOpen(octokit, repo, wanted.head) : undefined;
      if (!open) throw error;
    }
  }
  if (open.title !== wanted.title || (open.body ?? '') !== wanted.body) {
    await octokit.rest.pulls.update({
      ...repo,
      pull_number: open.number,
      title: wanted.title,
      body: wanted.body,
    });
  }
  return {
    number: open.number,
    url: open.html_url,
    nodeId: open.node_id,
    created: false,
    draft: open.draft ?? false,
  };
}

/** A draft where GitHub allows one; else the same pull request open for review, its body saying why. */
async function createPull(octokit: Octokit, repo: RepoRef, pr: DraftPullRequest) {
  try {
    return await octokit.rest.pulls.create({ ...repo, ...pr, draft: true });
  } catch (error) {
    if (!isDraftRefused(error)) throw error;
    const body = `${pr.body}

_Opened for review rather than as a draft: this repository's plan has no draft pull requests. Review it only once the session's commit phase has finished._`;
    return octokit.rest.pulls.create({ ...repo, ...pr, body, draft: false });
  }
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
