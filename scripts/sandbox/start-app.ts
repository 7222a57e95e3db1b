import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeMiddleware, Probot } from 'probot';
import { createDeliveryCache } from '../../src/app/delivery-cache.ts';
import ipoApp from '../../src/app/index.ts';
import { FastOctokit } from '../../test/support/fast-octokit.ts';
import type { LocalGitHub } from '../../test/support/github/local-github.ts';

export interface LocalAppServer {
  /** `http://127.0.0.1:<port>/api/github/webhooks`: where the local GitHub delivers webhooks. */
  url: string;
  close(): Promise<void>;
}

/**
 * The real ipo Probot app behind its webhook middleware on 127.0.0.1, authenticating against the local GitHub.
 * The same wiring as the end-to-end harness's app; that one is private to the harness, and the sandbox must show
 * the webhook URL, which the harness does not expose.
 */
export async function startLocalApp(github: LocalGitHub, secret: string): Promise<LocalAppServer> {
  const credentials = github.app;
  if (!credentials) throw new Error('the local GitHub has no app registered');
  const probot = new Probot({
    appId: credentials.id,
    privateKey: credentials.privateKey,
    secret,
    baseUrl: github.apiUrl,
    // The sandbox prints what happened itself; Probot's request logs would bury the prompt.
    logLevel: 'fatal',
    // Probot's throttling would space the app's comments 3 s apart; nothing here needs protecting from it.
    Octokit: FastOctokit,
  });
  const deps = {
    now: () => new Date(),
    seenDelivery: createDeliveryCache(),
    runLookup: { attempts: 3, delayMs: 20 },
  };
  const middleware = await createNodeMiddleware((app, options) => ipoApp(app, options, deps), { probot });
  const server: Server = createServer((req, res) => {
    void middleware(req, res, () => {
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/github/webhooks`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
