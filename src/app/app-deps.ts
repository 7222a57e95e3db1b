import type { DeliveryCache } from './delivery-cache.ts';

/**
 * Where the key that seals status markers comes from: the app's own secret (each repository gets a key derived
 * from it), a repository's key as such (zero-infra: the workflow's secret `IPO_STATE_KEY`), or none (unsigned).
 */
export type StateKeySource =
  | { kind: 'app-secret'; secret: string }
  | { kind: 'repository-key'; key: string }
  | { kind: 'none' };

/** What the app's handlers need besides the webhook context; built once by the composition root. */
export interface AppDeps {
  now: () => Date;
  /** Delivery ids handled recently: a redelivery does nothing, unless its first handling failed. */
  deliveries: DeliveryCache;
  /** How long and how often to look for a dispatched run when GitHub answers 204 without its id, or a 5xx. */
  runLookup: { attempts: number; delayMs: number };
  /**
   * How often and how long to wait, when another handling holds the claim on a session's state, for that handling
   * to write the status comment before taking the claim over as abandoned (its app died between claim and write).
   */
  claimSettle: { attempts: number; delayMs: number };
  /** ipo's bot login (`<slug>[bot]`); undefined: asked of GitHub once (`GET /app`, as the app). */
  botLogin: string | undefined;
  stateKey: StateKeySource;
}
