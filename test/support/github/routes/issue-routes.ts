import { buildComment, buildIssue, buildReaction, REACTIONS } from '../build-issue.ts';
import type { IssueRecord, ReactionContent, RepoRecord } from '../github-state.ts';
import { paginate } from '../paginate.ts';
import { notFound, validationFailed } from '../reply.ts';
import { optionalString, requireString } from '../request-body.ts';
import type { RouteContext, Router } from '../router.ts';
import type { RouteDeps } from './route-deps.ts';

/** Issues, issue comments and comment reactions. */
export function registerIssueRoutes(router: Router, { state, site }: RouteDeps): void {
  const issueOf = (repo: RepoRecord, number: string | undefined): IssueRecord => {
    const issue = state.issue(repo, Number(number));
    if (!issue) throw notFound();
    return issue;
  };
  const commentOf = ({ repo, params }: RouteContext) => {
    const comment = state.comment(repo, Number(params.id));
    if (!comment) throw notFound();
    return comment;
  };
  const renderIssue = (repo: RepoRecord, issue: IssueRecord) =>
    buildIssue(repo, issue, state.commentsOn(repo, issue.number).length, site);

  router.add('POST', '/repos/:owner/:repo/issues', ({ repo, body, actor }) => {
    const title = requireString(body, 'title');
    const labels = Array.isArray(body?.labels) ? body.labels.map(String) : [];
    const issue = state.addIssue(repo, {
      title,
      body: optionalString(body, 'body') ?? null,
      user: actor,
      labels,
    });
    return { status: 201, body: renderIssue(repo, issue) };
  });

  router.add('GET', '/repos/:owner/:repo/issues/:number', ({ repo, params }) => ({
    status: 200,
    body: renderIssue(repo, issueOf(repo, params.number)),
  }));

  router.add('GET', '/repos/:owner/:repo/issues/:number/comments', ({ repo, params, url }) => {
    const issue = issueOf(repo, params.number);
    const { page, headers } = paginate(state.commentsOn(repo, issue.number), url);
    return { status: 200, body: page.map((c) => buildComment(repo, c, site)), headers };
  });

  router.add('POST', '/repos/:owner/:repo/issues/:number/comments', ({ repo, params, body, actor }) => {
    const issue = issueOf(repo, params.number);
    const comment = state.addComment(repo, issue, { body: requireString(body, 'body'), user: actor });
    return { status: 201, body: buildComment(repo, comment, site) };
  });

  router.add('GET', '/repos/:owner/:repo/issues/comments/:id', (ctx) => ({
    status: 200,
    body: buildComment(ctx.repo, commentOf(ctx), site),
  }));

  router.add('PATCH', '/repos/:owner/:repo/issues/comments/:id', (ctx) => {
    const comment = commentOf(ctx);
    comment.body = requireString(ctx.body, 'body');
    comment.updatedAt = state.timestamp();
    return { status: 200, body: buildComment(ctx.repo, comment, site) };
  });

  router.add('DELETE', '/repos/:owner/:repo/issues/comments/:id', (ctx) => {
    const comment = commentOf(ctx);
    state.comments.splice(state.comments.indexOf(comment), 1);
    return { status: 204 };
  });

  router.add('POST', '/repos/:owner/:repo/issues/comments/:id/reactions', (ctx) => {
    const comment = commentOf(ctx);
    const content = requireString(ctx.body, 'content') as ReactionContent;
    if (!REACTIONS.includes(content)) throw validationFailed('Reaction', 'content', 'invalid');
    // GitHub answers 200 with the existing reaction when the same user reacts the same way twice.
    const existing = comment.reactions.find((r) => r.user === ctx.actor && r.content === content);
    if (existing) return { status: 200, body: buildReaction(existing, site) };
    const reaction = { id: state.nextId(), user: ctx.actor, content, createdAt: state.timestamp() };
    comment.reactions.push(reaction);
    return { status: 201, body: buildReaction(reaction, site) };
  });
}
