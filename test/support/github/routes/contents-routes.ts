import { buildContentFile, buildDirectoryItem } from '../build-content.ts';
import type { Reply } from '../reply.ts';
import { HttpError, notFound } from '../reply.ts';
import { listTree, readBlob, readFileAt, resolveRef, treeEntry } from '../repo-tree.ts';
import type { RouteContext, Router } from '../router.ts';
import type { RouteDeps } from './route-deps.ts';

// `mediaType: { format: 'raw' }` in Octokit sends `application/vnd.github.v3.raw`; the newer name has no `v3.`.
const RAW = /application\/vnd\.github(\.v3)?\.raw/;

/** `GET /repos/{o}/{r}/contents/{path}` (JSON or raw), read from the bare repo; plus the raw download URL. */
export function registerContentsRoutes(router: Router, webRouter: Router, { site }: RouteDeps): void {
  const contents = async ({ repo, params, url, headers }: RouteContext): Promise<Reply> => {
    const ref = url.searchParams.get('ref') || repo.defaultBranch;
    const resolved = await resolveRef(repo.git, ref);
    if (!resolved) throw new HttpError(404, `No commit found for the ref ${ref}`);
    const path = params.path ?? '';
    const entry = await treeEntry(repo.git, resolved.sha, path);
    if (!entry) throw notFound();
    if (entry.type === 'tree') {
      const items = await listTree(repo.git, resolved.sha, path);
      return { status: 200, body: items.map((item) => buildDirectoryItem(repo, item, ref, site)) };
    }
    if (entry.type !== 'blob') throw notFound();
    const bytes = await readBlob(repo.git, entry.sha);
    if (RAW.test(String(headers.accept ?? ''))) return rawFile(bytes);
    return { status: 200, body: buildContentFile(repo, entry, bytes, ref, site) };
  };
  router.add('GET', '/repos/:owner/:repo/contents', contents);
  router.add('GET', '/repos/:owner/:repo/contents/*path', contents);

  // Where `download_url` points (raw.githubusercontent.com on GitHub): public, like the repository.
  webRouter.add(
    'GET',
    '/:owner/:repo/raw/:ref/*path',
    async ({ repo, params }) => {
      const bytes = await readFileAt(repo.git, params.ref ?? '', params.path ?? '');
      if (!bytes) throw notFound();
      return rawFile(bytes);
    },
    { auth: 'none' },
  );
}

// GitHub serves raw files as text/plain whatever they hold; @probot/octokit-plugin-config tells a file from a
// directory by the content-type, so it must not be JSON.
function rawFile(bytes: Buffer): Reply {
  return {
    status: 200,
    body: bytes,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-github-media-type': 'github.v3; param=raw' },
  };
}
