import { buildUser, userId } from './build-user.ts';
import type { Schema, Site } from './github-types.ts';
import type { LocalApp } from './local-app.ts';

/** The GitHub App as `GET /app` describes it. */
export function buildIntegration(app: LocalApp, owner: string, site: Site, createdAt: string) {
  const integration: NonNullable<Schema<'integration'>> = {
    id: app.id,
    slug: app.slug,
    node_id: `A_local${app.id}`,
    client_id: `Iv1.local${app.id}`,
    owner: buildUser(owner, site),
    name: app.slug,
    description: 'isolated-phase-orchestrator (local)',
    external_url: `${site.webUrl}/apps/${app.slug}`,
    html_url: `${site.webUrl}/apps/${app.slug}`,
    created_at: createdAt,
    updated_at: createdAt,
    permissions: { ...app.permissions },
    events: ['issue_comment', 'workflow_run'],
    installations_count: 1,
  };
  return integration;
}

/** The app's one installation, on `account` (every repository: selection `all`). */
export function buildInstallation(
  app: LocalApp,
  account: string,
  site: Site,
  createdAt: string,
): Schema<'installation'> {
  const user = buildUser(account, site);
  return {
    id: app.installationId,
    account: user,
    repository_selection: 'all',
    access_tokens_url: `${site.apiUrl}/app/installations/${app.installationId}/access_tokens`,
    repositories_url: `${site.apiUrl}/installation/repositories`,
    html_url: `${site.webUrl}/settings/installations/${app.installationId}`,
    app_id: app.id,
    client_id: `Iv1.local${app.id}`,
    target_id: userId(account),
    target_type: 'User',
    permissions: app.permissions,
    events: ['issue_comment', 'workflow_run'],
    created_at: createdAt,
    updated_at: createdAt,
    single_file_name: null,
    app_slug: app.slug,
    suspended_by: null,
    suspended_at: null,
  };
}
