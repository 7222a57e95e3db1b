import type { GitHubState } from '../github-state.ts';
import type { RepoRole, Site } from '../github-types.ts';

/** What every route module needs: the state, the URLs to build, and who may do what. */
export interface RouteDeps {
  state: GitHubState;
  site: Site;
  permissions: Readonly<Record<string, RepoRole>>;
}
