import type { Probot } from 'probot';
import { repositoryStateKey, type StateTrust } from '../github/marker-trust.ts';
import type { AppDeps } from './app-deps.ts';

/** The trust rules for one repository: ipo's bot login and that repository's state key. */
export type TrustFor = (repo: string) => Promise<StateTrust>;

/**
 * Resolves ipo's bot identity once — configured, or `<slug>[bot]` from `GET /app` (authenticated as the app: see
 * https://docs.github.com/en/rest/apps/apps#get-the-authenticated-app) — and each repository's state key.
 */
export function trustResolver(
  app: Pick<Probot, 'auth'>,
  deps: Pick<AppDeps, 'botLogin' | 'stateKey'>,
): TrustFor {
  let login: Promise<string> | undefined;
  const botLogin = () => {
    if (deps.botLogin) return Promise.resolve(deps.botLogin);
    login ??= (async () => {
      const octokit = await app.auth();
      const { data } = await octokit.rest.apps.getAuthenticated();
      if (!data?.slug)
        throw new Error('GitHub did not name this app (GET /app has no slug): set IPO_BOT_LOGIN');
      return `${data.slug}[bot]`;
    })();
    // A failed look-up is asked again by the next delivery rather than remembered.
    login.catch(() => {
      login = undefined;
    });
    return login;
  };
  return async (repo) => {
    const source = deps.stateKey;
    const key =
      source.kind === 'app-secret'
        ? repositoryStateKey(source.secret, repo)
        : source.kind === 'repository-key'
          ? source.key
          : null;
    return { author: await botLogin(), repo, key };
  };
}
