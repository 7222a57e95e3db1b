import { buildInstallation, buildIntegration } from '../build-installation.ts';
import type { Schema } from '../github-types.ts';
import { type LocalApp, mintInstallationToken } from '../local-app.ts';
import { HttpError, notFound } from '../reply.ts';
import type { Body } from '../request-body.ts';
import type { Router } from '../router.ts';
import type { RouteDeps } from './route-deps.ts';

type Permissions = Schema<'app-permissions'>;

/** GitHub App auth as @octokit/auth-app drives it: the app (JWT), its installation, installation tokens. */
export function registerAppRoutes(
  router: Router,
  { state, site }: RouteDeps,
  app: LocalApp,
  /** The server's accepted tokens: each minted token is added, acting as the app's bot. */
  tokens: Record<string, string>,
  owner: string,
): void {
  const jwt = { auth: 'app' as const };
  const since = state.timestamp();
  router.add('GET', '/app', () => ({ status: 200, body: buildIntegration(app, owner, site, since) }), jwt);

  router.add(
    'GET',
    '/repos/:owner/:repo/installation',
    ({ repo }) => ({ status: 200, body: buildInstallation(app, repo.owner, site, since) }),
    jwt,
  );

  router.add(
    'GET',
    '/app/installations/:id',
    ({ params }) => {
      if (Number(params.id) !== app.installationId) throw notFound();
      return { status: 200, body: buildInstallation(app, owner, site, since) };
    },
    jwt,
  );

  router.add(
    'POST',
    '/app/installations/:id/access_tokens',
    ({ params, body }) => {
      if (Number(params.id) !== app.installationId) throw notFound();
      const permissions = requestedPermissions(body, app.permissions);
      const token = mintInstallationToken();
      tokens[token] = app.botLogin;
      const expires = new Date(state.now().getTime() + 60 * 60 * 1000);
      const reply: Schema<'installation-token'> = {
        token,
        expires_at: `${expires.toISOString().slice(0, 19)}Z`,
        permissions,
        repository_selection:
          Array.isArray(body?.repositories) || Array.isArray(body?.repository_ids) ? 'selected' : 'all',
      };
      return { status: 201, body: reply };
    },
    jwt,
  );
}

// A token may narrow the installation's permissions, never widen them (GitHub answers 422).
function requestedPermissions(body: Body | undefined, granted: Permissions): Permissions {
  const asked = body?.permissions;
  if (asked === undefined || asked === null) return { ...granted };
  if (typeof asked !== 'object')
    throw new HttpError(422, 'Invalid request.\n\n"permissions" must be an object.');
  const rank = { read: 1, write: 2, admin: 3 } as Record<string, number>;
  for (const [name, level] of Object.entries(asked)) {
    const have = granted[name as keyof Permissions];
    if (have === undefined || (rank[String(level)] ?? 99) > (rank[have] ?? 0)) {
      throw new HttpError(422, 'The permissions requested are not granted to this installation.');
    }
  }
  return asked as Permissions;
}
