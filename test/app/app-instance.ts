import type { LocalGitHub } from '../support/github/local-github.ts';
import { serveIpoApp } from '../support/serve-probot-app.ts';

/** The app's clock in every scenario: sessions started "today" are `phase-<task>-20250602`. */
export const TODAY = '20250602';
const CLOCK = new Date('2025-06-02T09:30:00Z');

export const WEBHOOK_SECRET = 'ipo-app-test-secret';

/** A running copy of the app: its own Probot, middleware, HTTP server and process state (delivery cache). */
export interface AppInstance {
  /** Where GitHub delivers webhooks to this instance. */
  url: string;
  close(): Promise<void>;
}

/** Starts the real app (`src/app/index.ts`) in a Probot of its own, behind its middleware on 127.0.0.1. */
export function startAppInstance(github: LocalGitHub): Promise<AppInstance> {
  // A fixed clock, so session ids are known in advance; a fresh delivery cache per instance.
  return serveIpoApp(github, WEBHOOK_SECRET, { now: () => CLOCK });
}
