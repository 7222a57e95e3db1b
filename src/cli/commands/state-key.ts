import { repositoryStateKey } from '../../github/marker-trust.ts';
import { UserError } from '../../local/user-error.ts';

/**
 * `ipo state-key owner/name`: the key the app derives for that repository from its secret, to be stored as the
 * repository's Actions secret `IPO_STATE_KEY` so its phase jobs seal the status comment as the app does.
 */
export function printStateKey(
  io: { out: (text: string) => void },
  env: NodeJS.ProcessEnv,
  repo: string,
): number {
  if (!/^[^/\s]+\/[^/\s]+$/.test(repo)) {
    throw new UserError(`"${repo}" is not a repository: give it as owner/name, e.g. octo/demo`, 2);
  }
  const secret = env.IPO_STATE_SECRET || env.WEBHOOK_SECRET;
  if (!secret) {
    throw new UserError(
      "no app secret: set IPO_STATE_SECRET (or WEBHOOK_SECRET) to the app's value, as in its .env, and run again",
      2,
    );
  }
  io.out(`${repositoryStateKey(secret, repo)}\n`);
  return 0;
}
