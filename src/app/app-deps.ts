import type { DeliveryCache } from './delivery-cache.ts';

/** What the app's handlers need besides the webhook context; built once by the composition root. */
export interface AppDeps {
  now: () => Date;
  /** Delivery ids handled recently: a redelivery does nothing, unless its first handling failed. */
  deliveries: DeliveryCache;
  /** How long and how often to look for a dispatched run when GitHub answers 204 without its id. */
  runLookup: { attempts: number; delayMs: number };
}
