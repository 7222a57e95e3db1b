import type { AppDeps } from './app-deps.ts';
import { createDeliveryCache } from './delivery-cache.ts';

/** The app's composition root: clock, delivery cache and run-lookup timing (env `IPO_RUN_LOOKUP_MS`). */
export function composeAppDeps(env: NodeJS.ProcessEnv = process.env): AppDeps {
  const delayMs = Number(env.IPO_RUN_LOOKUP_MS ?? 1000);
  return {
    now: () => new Date(),
    deliveries: createDeliveryCache(),
    // Only for the log line naming the run on hosts that answer 204 to a dispatch: keep it short.
    runLookup: { attempts: 3, delayMs: Number.isFinite(delayMs) ? delayMs : 1000 },
  };
}
