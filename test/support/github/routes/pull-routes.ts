import { buildPull } from '../build-pull.ts';
import { buildRepository } from '../build-repository.ts';
import type { PullRecord, RepoRecord } from '../github-state.ts';
import type { Schema } from '../github-types.ts';
import { paginate } from '../paginate.ts';
import { HttpError, notFound, validationFailed } from '../reply.ts';
import { optionalString, requireString } from '../request-body.ts';
import type { Router } from '../router.ts';
import type { RouteDeps } from './route-deps.ts';

/** Pull requests: list (filtered by head/base/state), create (draft too), read, update. */
export function registerPullRoutes(router: Router, { state, site }: RouteDeps): void {
  const render = async (repo: RepoRecord, pull: PullRecord): Promise<Schema<'pull-request'>> => {
    // The head follows pushes to its branch, as on GitHub; a deleted branch keeps its last commit.
    const head = await repo.git.ref(`refs/heads/${pull.head}`);
    if (head) pull.headSha = head.sha;
    const issue = state.issue(repo, pull.number);
    if (!issue) throw new Error(`local GitHub: pull #${pull.number} has no issue record`);
    const open = state.issues.filter((i) => i.repo === repo.fullName && i.state === 'open').length;
    const repository = buildRepository(repo, site, open);
    const comments = state.commentsOn(repo, pull.number).length;
    return buildPull({ repo, repository, pull, issue, comments }, site);
  };
  const pullOf = (repo: RepoRecord, number: string | undefined) => {
    const pull = state.pull(repo, Number(number));
    if (!pull) throw notFound();
    return pull;
  };

  router.add('GET', '/repos/:owner/:repo/pulls', async ({ repo, url }) => {
    const wanted = url.searchParams.get('state') ?? 'open';
    const head = url.searchParams.get('head');
    const base = url.searchParams.get('base');
    const matches = state.pullsOf(repo).filter((pull) => {
      const issueState = state.issue(repo, pull.number)?.state;
      return (
        (wanted === 'all' || issueState === wanted) &&
        (!head || head === `${repo.owner}:${pull.head}` || head === pull.head) &&
        (!base || base === pull.base)
      );
    });
    const { page, headers } = paginate(matches, url);
    return { status: 200, body: await Promise.all(page.map((p) => render(repo, p))), headers };
  });

  router.add('POST', '/repos/:owner/:repo/pulls', async ({ repo, body, actor }) => {
    const title = requireString(body, 'title');
    // GitHub limits a pull request's title to 256 characters and answers a longer one with 422 Validation Failed.
    if ([...title].length > 256) {
      throw validationFailed(
        'PullRequest',
        'title',
        'custom',
        'title is too long (maximum is 256 characters)',
      );
    }
    const head = stripOwner(repo, requireString(body, 'head'));
    const base = requireString(body, 'base');
    const headRef = await repo.git.ref(`refs/heads/${head}`);
    if (!headRef) throw validationFailed('PullRequest', 'head', 'invalid');
    const baseRef = await repo.git.ref(`refs/heads/${base}`);
    if (!baseRef) throw validationFailed('PullRequest', 'base', 'invalid');
    const duplicate = state
      .pullsOf(repo)
      .find((p) => p.head === head && p.base === base && state.issue(repo, p.number)?.state === 'open');
    if (duplicate) {
      throw validationFailed(
        'PullRequest',
        'head',
        'custom',
        `A pull request already exists for ${repo.owner}:${head}.`,
      );
    }
    if (await repo.git.isAncestor(headRef.sha, baseRef.sha)) {
      throw validationFailed('PullRequest', 'head', 'custom', `No commits between ${base} and ${head}`);
    }
    // The body GitHub sends for a draft where the plan has none (see RepoRecord.draftPullRequests).
    if (body?.draft && repo.draftPullRequests === false) {
      throw new HttpError(422, 'Draft pull requests are not supported in this repository.');
    }
    const pull = state.addPull(
      repo,
      {
        title,
        body: optionalString(body, 'body') ?? null,
        user: actor,
        head,
        base,
        draft: Boolean(body?.draft),
      },
      { head: headRef.sha, base: baseRef.sha },
    );
    return { status: 201, body: await render(repo, pull) };
  });

  router.add('GET', '/repos/:owner/:repo/pulls/:number', async ({ repo, params }) => ({
    status: 200,
    body: await render(repo, pullOf(repo, params.number)),
  }));

  // `draft` is deliberately ignored, as on GitHub: leaving draft takes the GraphQL mutation.
  router.add('PATCH', '/repos/:owner/:repo/pulls/:number', async ({ repo, params, body }) => {
    const pull = pullOf(repo, params.number);
    const issue = state.issue(repo, pull.number);
    if (!issue) throw notFound();
    issue.title = optionalString(body, 'title') ?? issue.title;
    if (body && 'body' in body) issue.body = optionalString(body, 'body') ?? null;
    const newState = optionalString(body, 'state');
    if (newState !== undefined) {
      if (newState !== 'open' && newState !== 'closed')
        throw validationFailed('PullRequest', 'state', 'invalid');
      issue.state = newState;
      issue.closedAt = newState === 'closed' ? state.timestamp() : null;
    }
    const base = optionalString(body, 'base');
    if (base !== undefined) {
      const baseRef = await repo.git.ref(`refs/heads/${base}`);
      if (!baseRef) throw validationFailed('PullRequest', 'base', 'invalid');
      pull.base = base;
      pull.baseSha = baseRef.sha;
    }
    issue.updatedAt = state.timestamp();
    return { status: 200, body: await render(repo, pull) };
  });
}

function stripOwner(repo: RepoRecord, head: string): string {
  const colon = head.indexOf(':');
  if (colon < 0) return head;
  if (head.slice(0, colon).toLowerCase() !== repo.owner.toLowerCase()) {
    throw new HttpError(422, 'local GitHub: pull requests from forks are not supported');
  }
  return head.slice(colon + 1);
}
