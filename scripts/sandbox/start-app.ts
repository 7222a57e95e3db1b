import { createDeliveryCache } from '../../src/app/delivery-cache.ts';
import ipoApp from '../../src/app/index.ts';
import type { LocalGitHub } from '../../test/support/github/local-github.ts';
import { serveProbotApp } from '../../test/support/serve-probot-app.ts';

export interface LocalAppServer {
  /** `http://127.0.0.1:<port>/api/github/webhooks`: where the local GitHub delivers webhooks. */
  url: string;
  close(): Promise<void>;
}

/**
 * The real ipo Probot app behind its webhook middleware on 127.0.0.1, authenticating against the local GitHub.
 */
export async function startLocalApp(github: LocalGitHub, secret: string): Promise<LocalAppServer> {
  const deps = {
    now: () => new Date(),
    deliveries: createDeliveryCache(),
    runLookup: { attempts: 3, delayMs: 20 },
  };
  return serveProbotApp(github, (app, options) => ipoApp(app, options, deps), secret);
}
