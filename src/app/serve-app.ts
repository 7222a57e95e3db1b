import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ApplicationFunction, createNodeMiddleware, type Probot } from 'probot';
import { DeliveryDrain, type DrainOutcome, trackHandlers } from './delivery-drain.ts';

export interface AppServer {
  /** `http://<host>:<port>`; webhooks go to `/api/github/webhooks` below it. */
  url: string;
  /**
   * Stops taking deliveries (new connections are refused, requests on open ones get 503), waits up to
   * `deadlineMs` for the handlers in flight, then closes every connection.
   */
  stop(deadlineMs: number): Promise<DrainOutcome>;
}

export interface ServeAppOptions {
  probot: Probot;
  app: ApplicationFunction;
  /** Port 0 picks a free one (see `url`). */
  port: number;
  host?: string;
}

/**
 * Probot's webhook middleware (signature check, routing, the app's own handlers such as `/healthz`) behind a server
 * we own, so a shutdown can drain: `probot run` closes its server and exits at once on SIGINT, and does nothing on
 * SIGTERM, which is what a platform sends before it kills the process.
 */
export async function serveApp(options: ServeAppOptions): Promise<AppServer> {
  const drain = new DeliveryDrain();
  const middleware = await createNodeMiddleware(
    (app, appOptions) => options.app(trackHandlers(app, drain), appOptions),
    { probot: options.probot },
  );
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (drain.draining) {
      // A delivery refused with 5xx is marked failed in the app's "Recent Deliveries", where it can be redelivered.
      req.resume();
      res.writeHead(503, { 'content-type': 'application/json', connection: 'close' });
      res.end('{"error":"ipo is shutting down; redeliver this delivery once it is back"}');
      return;
    }
    void middleware(req, res, () => res.writeHead(404).end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    async stop(deadlineMs) {
      const closed = new Promise((resolve) => server.close(resolve));
      const outcome = await drain.drain(deadlineMs);
      // A finished handler's answer is still being written: let it go out before idle connections are closed.
      await new Promise((resolve) => setImmediate(resolve));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), outcome.unfinished.length > 0 ? 0 : 1000);
      await closed;
      clearTimeout(grace);
      return outcome;
    },
  };
}
