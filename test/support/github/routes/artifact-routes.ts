import { artifactExpired } from '../build-workflow-run.ts';
import { paginate } from '../paginate.ts';
import { HttpError, notFound } from '../reply.ts';
import type { RouteContext, Router } from '../router.ts';
import type { ActionsDeps } from './actions-deps.ts';

/** Artifacts of a run, one artifact, and its zip: a 302 to a public download URL, as GitHub answers. */
export function registerArtifactRoutes(
  router: Router,
  webRouter: Router,
  { actions, site, state, renderArtifact }: ActionsDeps,
): void {
  const artifactOf = ({ repo, params }: RouteContext) => {
    const artifact = actions.artifact(repo, Number(params.id));
    const run = artifact && actions.run(artifact.runId);
    if (!artifact || !run) throw notFound();
    return { artifact, run };
  };

  router.add('GET', '/repos/:owner/:repo/actions/runs/:id/artifacts', ({ repo, params, url }) => {
    const run = actions.run(Number(params.id));
    if (!run || run.repo !== repo.fullName) throw notFound();
    const name = url.searchParams.get('name');
    const artifacts = actions.artifactsOf(run.id).filter((a) => !name || a.name === name);
    const { page, headers } = paginate(artifacts, url);
    return {
      status: 200,
      body: { total_count: artifacts.length, artifacts: page.map((a) => renderArtifact(repo, a, run)) },
      headers,
    };
  });

  router.add('GET', '/repos/:owner/:repo/actions/artifacts/:id', (ctx) => {
    const { artifact, run } = artifactOf(ctx);
    return { status: 200, body: renderArtifact(ctx.repo, artifact, run) };
  });

  router.add('GET', '/repos/:owner/:repo/actions/artifacts/:id/:format', (ctx) => {
    if (ctx.params.format !== 'zip') throw notFound();
    const { artifact } = artifactOf(ctx);
    // GitHub answers 410 Gone for the zip of an artifact past its retention
    // (https://docs.github.com/en/rest/actions/artifacts#download-an-artifact lists 410; retention is 90 days by
    // default, 1 to 90 for a public and up to 400 for a private repository:
    // https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/enabling-features-for-your-repository/managing-github-actions-settings-for-a-repository#configuring-the-retention-period-for-github-actions-artifacts-and-logs-in-your-repository).
    if (artifactExpired(artifact, state.now())) throw new HttpError(410, 'Artifact has expired');
    const location = `${site.webUrl}/_artifacts/${artifact.id}/${artifact.downloadKey}/${encodeURIComponent(artifact.name)}.zip`;
    return { status: 302, headers: { location } };
  });

  // The redirect target stands in for GitHub's signed blob-storage URL: no credentials, the key is the secret.
  webRouter.add(
    'GET',
    '/_artifacts/:id/:key/:file',
    ({ params }) => {
      const artifact = actions.artifacts.find(
        (a) => a.id === Number(params.id) && a.downloadKey === params.key,
      );
      if (!artifact) throw notFound();
      return { status: 200, body: artifact.zip, headers: { 'content-type': 'application/zip' } };
    },
    { auth: 'none' },
  );
}
