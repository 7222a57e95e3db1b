import type { AppDeps, StateKeySource } from './app-deps.ts';
import { createDeliveryCache } from './delivery-cache.ts';

/**
 * The app's composition root: clock, delivery cache, run-lookup timing (env `IPO_RUN_LOOKUP_MS`), ipo's bot login
 * (`IPO_BOT_LOGIN`, else asked of GitHub) and the state key: `IPO_STATE_SECRET`, else the webhook secret, from
 * which each repository's key is derived (so the app needs no key per repository).
 */
export function composeAppDeps(env: NodeJS.ProcessEnv = process.env): AppDeps {
  const delayMs = Number(env.IPO_RUN_LOOKUP_MS ?? 1000);
  const lookupMs = Number.isFinite(delayMs) ? delayMs : 1000;
  const secret = env.IPO_STATE_SECRET || env.WEBHOOK_SECRET;
  const stateKey: StateKeySource = secret ? { kind: 'app-secret', secret } : { kind: 'none' };
  return {
    now: () => new Date(),
    deliveries: createDeliveryCache(),
    // A run GitHub created can take seconds to show in its run list: poll with backoff before calling it missing.
    runLookup: { attempts: 5, delayMs: lookupMs },
    claimSettle: { attempts: 5, delayMs: lookupMs },
    botLogin: env.IPO_BOT_LOGIN || undefined,
    stateKey,
  };
}
