import { HttpError, notFound } from '../reply.ts';
import { optionalString, requireString } from '../request-body.ts';
import type { Router } from '../router.ts';
import type { RouteDeps } from './route-deps.ts';

const SHA = /^[0-9a-f]{40}$/;

/** Git blobs (`POST`/`GET /git/blobs`) and the commit comparison ipo uses to check ancestry. */
export function registerGitObjectRoutes(router: Router, { site }: RouteDeps): void {
  // https://docs.github.com/en/rest/git/blobs#create-a-blob — `encoding` is `utf-8` (default) or `base64`.
  router.add('POST', '/repos/:owner/:repo/git/blobs', async ({ repo, body }) => {
    const content = requireString(body, 'content');
    const encoding = optionalString(body, 'encoding') ?? 'utf-8';
    if (encoding !== 'utf-8' && encoding !== 'base64')
      throw new HttpError(422, `encoding ${encoding} is not supported`);
    // Text only here (the local git helper writes strings); ipo writes utf-8 JSON.
    const text = encoding === 'base64' ? Buffer.from(content, 'base64').toString('utf8') : content;
    const sha = await repo.git.writeBlob(text);
    return { status: 201, body: { sha, url: `${site.apiUrl}/repos/${repo.fullName}/git/blobs/${sha}` } };
  });

  router.add('GET', '/repos/:owner/:repo/git/blobs/:sha', async ({ repo, params }) => {
    const sha = params.sha ?? '';
    const bytes = SHA.test(sha) ? await repo.git.blob(sha) : undefined;
    if (!bytes) throw notFound();
    return {
      status: 200,
      body: {
        sha,
        node_id: `B_${sha}`,
        size: bytes.length,
        url: `${site.apiUrl}/repos/${repo.fullName}/git/blobs/${sha}`,
        content: bytes.toString('base64'),
        encoding: 'base64',
      },
    };
  });

  // https://docs.github.com/en/rest/commits/commits#compare-two-commits: `identical`, `ahead` (head descends from
  // base), `behind` (base descends from head) or `diverged`; an unknown commit is 404. Only the fields ipo reads.
  router.add('GET', '/repos/:owner/:repo/compare/*basehead', async ({ repo, params }) => {
    const [base, head] = (params.basehead ?? '').split('...');
    if (!base || !head) throw new HttpError(404, 'Not Found');
    const resolve = async (name: string) =>
      SHA.test(name) && (await repo.git.hasObject(name))
        ? name
        : (await repo.git.ref(`refs/heads/${name}`))?.sha;
    const [baseSha, headSha] = await Promise.all([resolve(base), resolve(head)]);
    if (!baseSha || !headSha) throw notFound();
    const [baseFirst, headFirst] = await Promise.all([
      repo.git.isAncestor(baseSha, headSha),
      repo.git.isAncestor(headSha, baseSha),
    ]);
    const status =
      baseSha === headSha ? 'identical' : baseFirst ? 'ahead' : headFirst ? 'behind' : 'diverged';
    return {
      status: 200,
      body: {
        url: `${site.apiUrl}/repos/${repo.fullName}/compare/${base}...${head}`,
        status,
        base_commit: { sha: baseSha },
        commits: [],
        files: [],
      },
    };
  });
}
