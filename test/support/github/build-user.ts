import type { RepoRole, Schema, Site } from './github-types.ts';

/** A stable id per login, so one person keeps the same id across requests and runs. */
export function userId(login: string): number {
  let hash = 7;
  for (let i = 0; i < login.length; i += 1) hash = (hash * 31 + login.charCodeAt(i)) % 8_999_999;
  return 1_000_000 + hash;
}

/** A `simple-user`; logins ending in `[bot]` are apps (`type: "Bot"`), as on GitHub. */
export function buildUser(login: string, site: Site): Schema<'simple-user'> {
  const id = userId(login);
  const bot = login.endsWith('[bot]');
  const api = `${site.apiUrl}/users/${encodeURIComponent(login)}`;
  return {
    login,
    id,
    node_id: `${bot ? 'BOT' : 'U'}_local${id}`,
    avatar_url: `${site.webUrl}/avatars/u/${id}`,
    gravatar_id: '',
    url: api,
    html_url: bot ? `${site.webUrl}/apps/${login.slice(0, -'[bot]'.length)}` : `${site.webUrl}/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: bot ? 'Bot' : 'User',
    site_admin: false,
    user_view_type: 'public',
  };
}

/** The collaborator object the permission endpoint embeds, with the role's flags. */
export function buildCollaborator(login: string, role: RepoRole, site: Site): Schema<'collaborator'> {
  const rank = ['none', 'read', 'triage', 'write', 'maintain', 'admin'].indexOf(role);
  return {
    ...buildUser(login, site),
    permissions: {
      pull: rank >= 1,
      triage: rank >= 2,
      push: rank >= 3,
      maintain: rank >= 4,
      admin: rank >= 5,
    },
    role_name: role,
  };
}
