import { repositoryStateKey, type StateTrust } from '../../src/github/marker-trust.ts';

/**
 * The trust rules the app applies to `repo` when it runs with webhook secret `secret` (and no IPO_STATE_SECRET):
 * comments by the local GitHub's app bot, sealed with the key derived for that repository.
 */
export function appTrust(
  github: { app: { botLogin: string } | undefined },
  secret: string,
  repo: string,
): StateTrust {
  const author = github.app?.botLogin;
  if (!author) throw new Error('the local GitHub has no app registered');
  return { author, repo, key: repositoryStateKey(secret, repo) };
}
