import { buildRef } from '../build-git.ts';
import { HttpError, notFound } from '../reply.ts';
import { optionalBoolean, requireString } from '../request-body.ts';
import type { RouteContext, Router } from '../router.ts';
import type { RouteDeps } from './route-deps.ts';

const SHA = /^[0-9a-f]{40}$/;

/** Git refs, read from and written to the repository's real bare repo. */
export function registerRefRoutes(router: Router, { site }: RouteDeps): void {
  // The `{ref}` parameter is `heads/main`; the stored name is `refs/heads/main`.
  const fullName = (ctx: RouteContext) => `refs/${(ctx.params.ref ?? '').replace(/^refs\//, '')}`;

  router.add('GET', '/repos/:owner/:repo/git/ref/*ref', async (ctx) => {
    const entry = await ctx.repo.git.ref(fullName(ctx));
    if (!entry) throw notFound();
    return { status: 200, body: buildRef(ctx.repo, entry, site) };
  });

  // GitHub matches by plain string prefix: `heads/ipo` finds `heads/ipo/a` and `heads/ipo-b`.
  router.add('GET', '/repos/:owner/:repo/git/matching-refs/*ref', async (ctx) => {
    const prefix = fullName(ctx);
    const refs = await ctx.repo.git.refs(prefix);
    return { status: 200, body: refs.map((entry) => buildRef(ctx.repo, entry, site)) };
  });

  router.add('POST', '/repos/:owner/:repo/git/refs', async ({ repo, body }) => {
    const ref = requireString(body, 'ref');
    const sha = requireString(body, 'sha');
    if (!/^refs\/[^/]+\/.+/.test(ref) || ref.endsWith('/') || ref.includes('..')) {
      throw new HttpError(422, 'Reference name is invalid');
    }
    if (!SHA.test(sha) || !(await repo.git.hasObject(sha))) throw new HttpError(422, 'Object does not exist');
    if (!(await repo.git.createRef(ref, sha))) throw new HttpError(422, 'Reference already exists');
    const entry = await repo.git.ref(ref);
    if (!entry) throw new Error(`local GitHub: ${ref} vanished right after it was created`);
    return { status: 201, body: buildRef(repo, entry, site) };
  });

  router.add('PATCH', '/repos/:owner/:repo/git/refs/*ref', async (ctx) => {
    const ref = fullName(ctx);
    const sha = requireString(ctx.body, 'sha');
    const force = optionalBoolean(ctx.body, 'force') ?? false;
    const current = await ctx.repo.git.ref(ref);
    if (!current) throw new HttpError(422, 'Reference does not exist');
    if (!SHA.test(sha) || !(await ctx.repo.git.hasObject(sha)))
      throw new HttpError(422, 'Object does not exist');
    if (!force && !(await ctx.repo.git.isAncestor(current.sha, sha))) {
      throw new HttpError(422, 'Update is not a fast forward');
    }
    if (!(await ctx.repo.git.moveRef(ref, sha, current.sha))) {
      throw new HttpError(409, 'local GitHub: the reference moved during the update');
    }
    const entry = await ctx.repo.git.ref(ref);
    if (!entry) throw notFound();
    return { status: 200, body: buildRef(ctx.repo, entry, site) };
  });

  router.add('DELETE', '/repos/:owner/:repo/git/refs/*ref', async (ctx) => {
    const ref = fullName(ctx);
    if (!(await ctx.repo.git.ref(ref)) || !(await ctx.repo.git.deleteRef(ref))) {
      throw new HttpError(422, 'Reference does not exist');
    }
    return { status: 204 };
  });
}
