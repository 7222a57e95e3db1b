/** What the app's handlers need besides the webhook context; built once by the composition root. */
export interface AppDeps {
  now: () => Date;
  /** True when this delivery id was handled recently (a redelivery): the handler does nothing. */
  seenDelivery: (id: string) => boolean;
  /** How long and how often to look for a dispatched run when GitHub answers 204 without its id. */
  runLookup: { attempts: number; delayMs: number };
}
