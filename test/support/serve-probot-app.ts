import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ApplicationFunction, createNodeMiddleware, Probot } from 'probot';
import { FastOctokit } from './fast-octokit.ts';
import type { LocalGitHub } from './github/local-github.ts';

export interface ProbotAppServer {
  /** `http://127.0.0.1:<port>/api/github/webhooks`: where the local GitHub delivers webhooks. */
  url: string;
  close(): Promise<void>;
}

/**
 * A Probot app behind its real webhook middleware on 127.0.0.1, authenticating as the local GitHub's app (JWT →
 * installation token), without throttling. Used by the app tests, the end-to-end harness, the sandbox and the bench.
 */
export async function serveProbotApp(
  github: Pick<LocalGitHub, 'apiUrl'> & { app: { id: number; privateKey: string } | undefined },
  app: ApplicationFunction,
  secret: string,
): Promise<ProbotAppServer> {
  const credentials = github.app;
  if (!credentials) throw new Error('the local GitHub has no app registered');
  const probot = new Probot({
    appId: credentials.id,
    privateKey: credentials.privateKey,
    secret,
    baseUrl: github.apiUrl,
    logLevel: 'fatal',
    Octokit: FastOctokit,
  });
  const middleware = await createNodeMiddleware(app, { probot });
  const server: Server = createServer((req, res) => {
    void middleware(req, res, () => res.writeHead(404).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/github/webhooks`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
