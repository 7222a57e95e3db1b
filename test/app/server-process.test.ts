import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeExampleSeed } from '../support/example-seed.ts';
import { type LocalGitHub, startLocalGitHub } from '../support/github/local-github.ts';
import { issueCommentCreated } from '../support/github/webhook-payloads.ts';

const ENTRY = fileURLToPath(new URL('../../src/app/server.ts', import.meta.url));
// Resolved here: `--import tsx` would look for tsx from the child's (empty) working directory.
const TSX = import.meta.resolve('tsx');
const SECRET = 'a-real-webhook-secret-0123456789abcdef';
const DISPATCH = /^\/repos\/acme\/tally\/actions\/workflows\/[^/]+\/dispatches$/;

interface AppProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** `src/app/server.ts` in a process of its own, as `npm run app` starts it, from an empty working directory. */
function startApp(cwd: string, env: Record<string, string>): AppProcess {
  const child = spawn(process.execPath, ['--import', TSX, ENTRY], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('the hosted app as a process (`npm run app`): webhook secret required, drained on SIGTERM', () => {
  let github: LocalGitHub;
  let seed: string;
  let cwd: string;
  let appEnv: Record<string, string>;

  beforeAll(async () => {
    seed = await mkdtemp(join(tmpdir(), 'ipo-server-seed-'));
    cwd = await mkdtemp(join(tmpdir(), 'ipo-server-cwd-'));
    await writeExampleSeed(seed);
    github = await startLocalGitHub({
      owner: 'acme',
      repo: 'tally',
      tokens: [],
      permissions: { maintainer: 'admin' },
      seed,
      app: { id: 4242 },
      webhookSecret: SECRET,
    });
    const api = new URL(github.apiUrl);
    appEnv = {
      NODE_ENV: 'production',
      APP_ID: '4242',
      PRIVATE_KEY: github.app?.privateKey ?? '',
      WEBHOOK_SECRET: SECRET,
      // Probot's own way to a GitHub Enterprise host: https://probot.github.io/docs/github-api/#github-enterprise
      GHE_HOST: api.host,
      GHE_PROTOCOL: 'http',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_FORMAT: 'json',
      IPO_RUN_LOOKUP_MS: '20',
    };
  }, 60_000);

  afterAll(async () => {
    await github?.close();
    await rm(seed, { recursive: true, force: true });
    await rm(cwd, { recursive: true, force: true });
  });

  const listening = async (app: AppProcess) =>
    until('the app to listen', () => app.output().match(/ipo app listening on (http:\/\/[\d.:]+)/)?.[1]);

  it.each([
    ['not set', {}],
    ['Probot’s public default "development"', { WEBHOOK_SECRET: 'development' }],
  ])(
    'in production, with WEBHOOK_SECRET %s, it exits 1 and says what to set',
    async (_, change) => {
      const env: Record<string, string> = { ...appEnv, ...change };
      if (!('WEBHOOK_SECRET' in change)) delete env.WEBHOOK_SECRET;
      const app = startApp(cwd, env);

      expect(await app.exited).toBe(1);
      expect(app.output()).toContain('ipo app: refusing to start');
      expect(app.output()).toContain('set WEBHOOK_SECRET to the "Webhook secret" of the GitHub App');
      expect(app.output()).not.toContain('listening on');
    },
    60_000,
  );

  it('with its secret it serves /healthz, refuses a delivery signed with the public default, and on SIGTERM finishes the slow delivery in flight before it exits 0', async () => {
    const app = startApp(cwd, appEnv);
    const url = await listening(app);
    try {
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const webhooks = `${url}/api/github/webhooks`;
      const issue = github.createIssue({ title: 'Task 1.3', body: 'Roadmap task 1.3.', user: 'maintainer' });
      const start = (body: string) =>
        issueCommentCreated(github, {
          issue,
          comment: github.createComment(issue.number, { body, user: 'maintainer' }),
        });

      // The attack: a forged "maintainer" comment signed with the secret Probot falls back to.
      const forged = await github.deliver(webhooks, 'issue_comment', start("I'm going to start phase 1.3"), {
        secret: 'development',
      });
      expect(forged.status).toBe(400);

      // GitHub is slow to answer the dispatch: the delivery is in flight when the platform stops the app.
      github.failNext({ method: 'POST', path: DISPATCH, delayMs: 1500 });
      const delivery = github.deliver(webhooks, 'issue_comment', start("I'm going to start phase 1.3"));
      const dispatch = await until('the dispatch to reach GitHub', () =>
        github.requests.find((r) => r.method === 'POST' && DISPATCH.test(r.path)),
      );
      expect(dispatch.status).toBe(0);
      app.child.kill('SIGTERM');
      await until('the app to start draining', () => app.output().includes('refusing new deliveries'));
      // Once draining, nothing new is taken: the listener is closed (or a kept-alive connection gets 503).
      const late = await github
        .deliver(webhooks, 'issue_comment', start('ipo status'))
        .then((d) => d.status)
        .catch(() => 'refused');
      expect([503, 'refused']).toContain(late);

      expect(await app.exited).toBe(0);
      expect((await delivery).status).toBe(200);
      expect(dispatch.status).toBe(200);
      expect(github.actions.runs).toHaveLength(1);
      expect(app.output()).toContain('drained: every delivery in flight finished');
    } finally {
      app.child.kill('SIGKILL');
    }
  }, 90_000);

  it('a delivery still running at the drain deadline is logged by id, and the exit code says so', async () => {
    const app = startApp(cwd, { ...appEnv, IPO_DRAIN_MS: '200' });
    const url = await listening(app);
    try {
      const issue = github.createIssue({ title: 'Task 1.4', body: 'Roadmap task 1.4.', user: 'maintainer' });
      const comment = github.createComment(issue.number, {
        body: "I'm going to start phase 1.4",
        user: 'maintainer',
      });
      github.failNext({ method: 'POST', path: DISPATCH, delayMs: 10_000 });
      const delivery = github
        .deliver(
          `${url}/api/github/webhooks`,
          'issue_comment',
          issueCommentCreated(github, { issue, comment }),
          {
            id: 'delivery-cut-off-at-shutdown',
          },
        )
        .catch(() => undefined);
      await until('the dispatch to reach GitHub', () =>
        github.requests.filter((r) => r.method === 'POST' && DISPATCH.test(r.path) && r.status === 0).at(0),
      );
      app.child.kill('SIGTERM');

      expect(await app.exited).toBe(1);
      expect(app.output()).toMatch(
        /exiting with 1 delivery\(ies\) unfinished after 200 ms: redeliver delivery-cut-off-at-shutdown \(issue_comment\)/,
      );
      await delivery;
    } finally {
      app.child.kill('SIGKILL');
    }
  }, 90_000);
});
