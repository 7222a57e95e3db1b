import { buildUser } from './build-user.ts';
import type {
  CommentRecord,
  IssueRecord,
  ReactionContent,
  ReactionRecord,
  RepoRecord,
} from './github-state.ts';
import type { Schema, Site } from './github-types.ts';

/** An issue (or a pull request seen through the issues API, with its `pull_request` links). */
export function buildIssue(
  repo: RepoRecord,
  issue: IssueRecord,
  comments: number,
  site: Site,
): Schema<'issue'> {
  const api = `${site.apiUrl}/repos/${repo.fullName}/issues/${issue.number}`;
  const pullApi = `${site.apiUrl}/repos/${repo.fullName}/pulls/${issue.number}`;
  const html = `${site.webUrl}/${repo.fullName}/${issue.isPull ? 'pull' : 'issues'}/${issue.number}`;
  return {
    id: issue.id,
    node_id: `I_local${issue.id}`,
    url: api,
    repository_url: `${site.apiUrl}/repos/${repo.fullName}`,
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: html,
    number: issue.number,
    state: issue.state,
    title: issue.title,
    body: issue.body,
    user: buildUser(issue.user, site),
    labels: issue.labels.map((name) => ({ name, color: 'ededed', description: null, default: false })),
    assignee: null,
    assignees: [],
    milestone: null,
    locked: false,
    comments,
    ...(issue.isPull
      ? {
          pull_request: {
            url: pullApi,
            html_url: html,
            diff_url: `${html}.diff`,
            patch_url: `${html}.patch`,
            merged_at: null,
          },
        }
      : {}),
    closed_at: issue.closedAt,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    author_association: authorAssociation(repo, issue.user),
  };
}

/** An issue comment with its reaction counts (`id` narrowed to number: Octokit's parameters take numbers). */
export function buildComment(
  repo: RepoRecord,
  comment: CommentRecord,
  site: Site,
): Schema<'issue-comment'> & { id: number } {
  const api = `${site.apiUrl}/repos/${repo.fullName}/issues/comments/${comment.id}`;
  return {
    id: comment.id,
    node_id: `IC_local${comment.id}`,
    url: api,
    html_url: `${site.webUrl}/${repo.fullName}/issues/${comment.issueNumber}#issuecomment-${comment.id}`,
    body: comment.body,
    user: buildUser(comment.user, site),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    issue_url: `${site.apiUrl}/repos/${repo.fullName}/issues/${comment.issueNumber}`,
    author_association: authorAssociation(repo, comment.user),
    reactions: reactionRollup(comment.reactions, `${api}/reactions`),
  };
}

export function buildReaction(reaction: ReactionRecord, site: Site): Schema<'reaction'> {
  return {
    id: reaction.id,
    node_id: `REA_local${reaction.id}`,
    user: buildUser(reaction.user, site),
    content: reaction.content,
    created_at: reaction.createdAt,
  };
}

export const REACTIONS: readonly ReactionContent[] = [
  '+1',
  '-1',
  'laugh',
  'confused',
  'heart',
  'hooray',
  'rocket',
  'eyes',
];

function reactionRollup(reactions: ReactionRecord[], url: string): Schema<'reaction-rollup'> {
  const count = (content: ReactionContent) => reactions.filter((r) => r.content === content).length;
  return {
    url,
    total_count: reactions.length,
    '+1': count('+1'),
    '-1': count('-1'),
    laugh: count('laugh'),
    confused: count('confused'),
    heart: count('heart'),
    hooray: count('hooray'),
    eyes: count('eyes'),
    rocket: count('rocket'),
  };
}

// Only the owner is recognisable without more state; the app must not trust this field anyway.
function authorAssociation(repo: RepoRecord, login: string): Schema<'author-association'> {
  return login.toLowerCase() === repo.owner.toLowerCase() ? 'OWNER' : 'NONE';
}
