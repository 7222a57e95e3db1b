import type { Probot } from 'probot';

export interface InFlightDelivery {
  /** `X-GitHub-Delivery`: what to look for under the app's "Advanced" settings to redeliver it. */
  id: string;
  event: string;
  since: Date;
}

export interface DrainOutcome {
  /** Deliveries still being handled when the deadline passed (each once, however many handlers it had). */
  unfinished: InFlightDelivery[];
}

/**
 * The deliveries whose handlers are running, so a shutdown can let them finish (after atlantis' `Drainer`).
 * Probot answers a delivery after 9 s ("still processing", 202) and keeps handling it: the HTTP request is no
 * measure of the work, the handler is.
 */
export class DeliveryDrain {
  readonly #running = new Map<symbol, { delivery: InFlightDelivery; done: Promise<unknown> }>();
  #draining = false;

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** True once `drain` was called: the server refuses new deliveries from then on. */
  get draining(): boolean {
    return this.#draining;
  }

  /** Runs `handle` for a delivery and keeps it in the in-flight set until it settles. */
  track<T>(delivery: { id: string; event: string }, handle: () => Promise<T>): Promise<T> {
    const key = Symbol(delivery.id);
    const done = handle().finally(() => this.#running.delete(key));
    this.#running.set(key, { delivery: { ...delivery, since: this.now() }, done });
    return done;
  }

  /** Waits until nothing is in flight or `deadlineMs` passed; handlers started meanwhile are waited for too. */
  async drain(deadlineMs: number): Promise<DrainOutcome> {
    this.#draining = true;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'deadline'>((resolve) => {
      timer = setTimeout(() => resolve('deadline'), Math.max(0, deadlineMs));
    });
    try {
      while (this.#running.size > 0) {
        const all = Promise.allSettled([...this.#running.values()].map((r) => r.done));
        if ((await Promise.race([all, deadline])) === 'deadline') break;
      }
    } finally {
      clearTimeout(timer);
    }
    const unfinished = new Map<string, InFlightDelivery>();
    for (const { delivery } of this.#running.values()) unfinished.set(delivery.id, delivery);
    return { unfinished: [...unfinished.values()] };
  }
}

type Handler = (context: { id: string; name: string }) => Promise<unknown> | unknown;

/**
 * `app` with every handler given to `on` tracked by `drain`. A Proxy, so the app function (`src/app/index.ts`)
 * stays what Probot's own `run` would load; everything else on `app` is Probot's, bound to the real instance
 * (its private fields do not resolve through a proxy).
 */
export function trackHandlers(app: Probot, drain: DeliveryDrain): Probot {
  const on = (event: Parameters<Probot['on']>[0], handler: Handler) =>
    app.on(event, ((context: { id: string; name: string }) =>
      drain.track({ id: context.id, event: context.name }, async () => handler(context))) as never);
  return new Proxy(app, {
    get(target, property) {
      if (property === 'on') return on;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
