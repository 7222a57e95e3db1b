import { type ApplicationFunction, Probot } from 'probot';
import type { AppDeps } from '../../src/app/app-deps.ts';
import { composeAppDeps } from '../../src/app/compose.ts';
import ipoApp from '../../src/app/index.ts';
import { serveApp } from '../../src/app/serve-app.ts';
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
  // The production server (src/app/serve-app.ts), so every app test goes through its webhook path too.
  const server = await serveApp({ probot, app, port: 0, host: '127.0.0.1' });
  return {
    url: `${server.url}/api/github/webhooks`,
    // No drain: a test that closes the app mid-delivery wants the process gone, as a crash would.
    close: async () => {
      await server.stop(0);
    },
  };
}

/**
 * ipo's own app, served as above, with the production dependencies except a quick run lookup (`overrides` replaces
 * any of them, e.g. a fixed clock). Used by the app tests, the end-to-end harness and the sandbox.
 */
export function serveIpoApp(
  github: Parameters<typeof serveProbotApp>[0],
  secret: string,
  overrides: Partial<AppDeps> = {},
): Promise<ProbotAppServer> {
  const deps = {
    ...composeAppDeps({ IPO_RUN_LOOKUP_MS: '20', WEBHOOK_SECRET: secret }),
    // Long enough that a busy machine's live claim holder writes its status first (2.25 s in all).
    claimSettle: { attempts: 4, delayMs: 150 },
    ...overrides,
  };
  return serveProbotApp(github, (app, options) => ipoApp(app, options, deps), secret);
}
