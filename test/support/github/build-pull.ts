import type { RepositoryObject } from './build-repository.ts';
import { buildUser } from './build-user.ts';
import type { IssueRecord, PullRecord, RepoRecord } from './github-state.ts';
import type { Schema, Site } from './github-types.ts';

export interface PullParts {
  repo: RepoRecord;
  repository: RepositoryObject;
  pull: PullRecord;
  issue: IssueRecord;
  comments: number;
}

/** A pull request; head and base live in the same repository (fork PRs are out of scope). */
export function buildPull(parts: PullParts, site: Site): Schema<'pull-request'> {
  const { repo, repository, pull, issue } = parts;
  const api = `${site.apiUrl}/repos/${repo.fullName}`;
  const self = `${api}/pulls/${pull.number}`;
  const html = `${site.webUrl}/${repo.fullName}/pull/${pull.number}`;
  const owner = buildUser(repo.owner, site);
  const side = (ref: string, sha: string) => ({
    label: `${repo.owner}:${ref}`,
    ref,
    sha,
    repo: repository,
    user: owner,
  });
  return {
    url: self,
    id: pull.id,
    node_id: pull.nodeId,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${pull.number}`,
    commits_url: `${self}/commits`,
    review_comments_url: `${self}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${pull.number}/comments`,
    statuses_url: `${api}/statuses/${pull.headSha}`,
    number: pull.number,
    state: issue.state,
    locked: false,
    title: issue.title,
    user: buildUser(issue.user, site),
    body: issue.body,
    labels: [],
    milestone: null,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: side(pull.head, pull.headSha),
    base: side(pull.base, pull.baseSha),
    _links: {
      self: { href: self },
      html: { href: html },
      issue: { href: `${api}/issues/${pull.number}` },
      comments: { href: `${api}/issues/${pull.number}/comments` },
      review_comments: { href: `${self}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${self}/commits` },
      statuses: { href: `${api}/statuses/${pull.headSha}` },
    },
    author_association: issue.user.toLowerCase() === repo.owner.toLowerCase() ? 'OWNER' : 'NONE',
    auto_merge: null,
    draft: pull.draft,
    merged: false,
    mergeable: null,
    rebaseable: null,
    mergeable_state: 'unknown',
    merged_by: null,
    comments: parts.comments,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: 0,
    deletions: 0,
    changed_files: 0,
  };
}
