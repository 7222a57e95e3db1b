import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ApplicationFunction } from 'probot';
import { createDeliveryCache } from '../src/app/delivery-cache.ts';
import ipoApp from '../src/app/index.ts';
import { writeExampleSeed } from '../test/support/example-seed.ts';
import { type LocalGitHub, startLocalGitHub } from '../test/support/github/local-github.ts';
import { issueCommentCreated } from '../test/support/github/webhook-payloads.ts';
import { serveProbotApp } from '../test/support/serve-probot-app.ts';

const SECRET = 'bench-secret';

export interface WebhookFigures {
  app: number[];
  bare: number[];
  appThroughput: number;
  bareThroughput: number;
}

/** A Probot app that turns every comment into one dispatch: one API call per webhook, the floor for ours. */
const bareApp: ApplicationFunction = (app) => {
  app.on('issue_comment.created', async (context) => {
    await context.octokit.rest.actions.createWorkflowDispatch(
      context.repo({
        workflow_id: 'ipo.yml',
        ref: 'main',
        inputs: {
          session: 'phase-1.3-20261125',
          phase: 'alignment',
          attempt: '1',
          'issue-number': String(context.payload.issue.number),
        },
      }),
    );
  });
};

/**
 * Webhook POST (signed, through Probot's real middleware) → workflow dispatch request at the local GitHub: latency
 * of `count` sequential start comments, then throughput with 8 in flight, for ipo's app and for the bare app.
 */
export async function measureWebhookDispatch(count: number): Promise<WebhookFigures> {
  const seed = await mkdtemp(join(tmpdir(), 'ipo-bench-hook-'));
  await writeExampleSeed(seed);
  const github = await startLocalGitHub({
    owner: 'acme',
    repo: 'tally',
    tokens: [],
    permissions: { maintainer: 'admin' },
    seed,
    app: { id: 99 },
    webhookSecret: SECRET,
  });
  try {
    const deps = {
      now: () => new Date(),
      deliveries: createDeliveryCache(),
      runLookup: { attempts: 1, delayMs: 0 },
    };
    const ipo = await serve(github, (a, o) => ipoApp(a, o, deps));
    const bare = await serve(github, bareApp);
    const result = {
      app: await latencies(github, ipo.url, count),
      bare: await latencies(github, bare.url, count),
      appThroughput: await throughput(github, ipo.url, count),
      bareThroughput: await throughput(github, bare.url, count),
    };
    await ipo.close();
    await bare.close();
    return result;
  } finally {
    await github.close();
    await rm(seed, { recursive: true, force: true });
  }
}

/** One start comment on a fresh issue; resolves with ms from POST to the dispatch reaching the local GitHub. */
async function oneDelivery(github: LocalGitHub, url: string): Promise<number> {
  const issue = github.createIssue({ title: 'bench', user: 'maintainer' });
  const comment = github.createComment(issue.number, {
    body: "I'm going to start phase 1.3",
    user: 'maintainer',
  });
  const payload = issueCommentCreated(github, { issue, comment });
  let dispatchedAt = 0;
  const off = github.onDispatch(() => {
    if (!dispatchedAt) dispatchedAt = performance.now();
  });
  const started = performance.now();
  const delivery = await github.deliver(url, 'issue_comment', payload);
  off();
  if (delivery.status >= 300 || !dispatchedAt)
    throw new Error(`bench delivery ${delivery.status}: ${delivery.body}`);
  return dispatchedAt - started;
}

async function latencies(github: LocalGitHub, url: string, count: number): Promise<number[]> {
  await oneDelivery(github, url); // warm-up: installation token, first config read
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(await oneDelivery(github, url));
  return out;
}

/** Webhooks handled per second with 8 deliveries in flight. */
async function throughput(github: LocalGitHub, url: string, count: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      next++;
      await oneDelivery(github, url);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return count / ((performance.now() - started) / 1000);
}

function serve(github: LocalGitHub, app: ApplicationFunction) {
  return serveProbotApp(github, app, SECRET);
}
