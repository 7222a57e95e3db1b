import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { ApplicationFunction, Context } from 'probot';
import { createDeliveryCache } from '../src/app/delivery-cache.ts';
import ipoApp from '../src/app/index.ts';
import { onRestCall, sequentialRounds, type TimedCall } from '../test/support/fast-octokit.ts';
import { deliverWebhook } from '../test/support/github/deliver-webhook.ts';
import { serveProbotApp } from '../test/support/serve-probot-app.ts';
import type { FromGitHub, ToGitHub } from './github-worker.ts';

const SECRET = 'bench-secret';

type Command = 'start' | 'proceed';
// Each issue starts its own task, as on a real repository: the same task started on 400 issues in one day would
// measure the session-id search instead.
let tasks = 0;
const nextStart = () => {
  tasks += 1;
  return `I'm going to start phase ${Math.floor(tasks / 100) + 1}.${tasks % 100}`;
};

export interface AppFigures {
  /** ms from the webhook POST to the dispatch reaching the local GitHub, one per sequential delivery. */
  latencies: number[];
  /** Webhooks handled per second with 8 in flight. */
  throughput: number;
  /** Sequential REST rounds before the dispatch (one warm delivery, counted from the client's send/answer times). */
  rounds: number;
}

export interface WebhookFigures {
  ipo: AppFigures;
  /** ipo answering `proceed to implementation` at an open gate: the command people give most. */
  ipoProceed: AppFigures;
  /** One API call per webhook: the baseline the targets name. */
  bare: AppFigures;
  /** ipo's start calls without ipo's logic. */
  sameCalls: AppFigures;
  /** ipo's proceed calls without ipo's logic. */
  sameCallsProceed: AppFigures;
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
          'comment-id': String(context.payload.comment.id),
        },
      }),
    );
  });
};

/**
 * A Probot app that makes the same REST calls as ipo's start path, in the same rounds, with none of its logic (no
 * parsing, config validation, decision or rendering): the floor for a handler that must authorize, read state,
 * claim, write the status and dispatch. The gap between it and ipo is ipo's own cost.
 */
const sameCallsApp: ApplicationFunction = (app) => {
  app.on('issue_comment.created', async (context) => {
    const rest = context.octokit.rest;
    const issue_number = context.payload.issue.number;
    const [, , , head] = await Promise.all([
      rest.repos.getContent(context.repo({ path: '.github/ipo.yml' })),
      rest.issues.listComments(context.repo({ issue_number, per_page: 100 })),
      rest.repos.getCollaboratorPermissionLevel(
        context.repo({ username: context.payload.comment.user?.login ?? '' }),
      ),
      rest.git.getRef(context.repo({ ref: 'heads/main' })),
    ]);
    const sha = head.data.object.sha;
    const session = `phase-9.${issue_number}-20261125`;
    // The start claim, the session id and the comment, at once.
    await Promise.all([
      rest.git.createRef(context.repo({ ref: `refs/same/issues/${issue_number}/start`, sha })),
      rest.git.createRef(context.repo({ ref: `refs/same/claims/${session}/alignment-1`, sha })),
      rest.git.createRef(context.repo({ ref: `refs/same/comments/${context.payload.comment.id}`, sha })),
    ]);
    // The branch, the task snapshot and the status comment, at once.
    await Promise.all([
      rest.git.createRef(context.repo({ ref: `refs/heads/same/${session}`, sha })),
      rest.git.createBlob(context.repo({ content: `{"issue":${issue_number}}`, encoding: 'utf-8' })),
      rest.issues.createComment(context.repo({ issue_number, body: 'status' })),
    ]);
    await dispatchAndReact(context, session);
  });
};

/**
 * The same calls as ipo's `proceed to implementation` at an open gate, in the same rounds, with none of its logic:
 * settings, comments and permission; then the session branch (head and protection), the previous run and its
 * commit's place on main, and the comment and version claims; then the status comment; then the dispatch.
 */
const sameCallsProceedApp: ApplicationFunction = (app) => {
  app.on('issue_comment.created', async (context) => {
    const rest = context.octokit.rest;
    const issue_number = context.payload.issue.number;
    const [, comments] = await Promise.all([
      rest.repos.getContent(context.repo({ path: '.github/ipo.yml' })),
      rest.issues.listComments(context.repo({ issue_number, per_page: 100 })),
      rest.repos.getCollaboratorPermissionLevel(
        context.repo({ username: context.payload.comment.user?.login ?? '' }),
      ),
    ]);
    const session = `phase-9.${issue_number}-20250601`;
    const status = comments.data[0];
    // ipo claims at the session's base, which its marker names.
    const sha = /"bases":\{"alignment":"([0-9a-f]{40})"/.exec(status?.body ?? '')?.[1];
    const runId = Number(/"lastRunId":(\d+)/.exec(status?.body ?? '')?.[1]);
    const runSha = /"lastRunSha":"([0-9a-f]{40})"/.exec(status?.body ?? '')?.[1];
    if (!status || !sha || !runId || !runSha)
      throw new Error('same calls: the status comment has no base or run');
    const [branch] = await Promise.all([
      rest.repos.getBranch(context.repo({ branch: `ipo/${session}` })),
      // The previous run, and its commit on main's history.
      rest.actions.getWorkflowRun(context.repo({ run_id: runId })),
      rest.repos.compareCommitsWithBasehead(context.repo({ basehead: `${runSha}...main`, per_page: 1 })),
      rest.git.createRef(context.repo({ ref: `refs/same/comments/${context.payload.comment.id}`, sha })),
      rest.git.createRef(context.repo({ ref: `refs/same/claims/${session}/v1`, sha })),
    ]);
    await rest.issues.updateComment(
      context.repo({ comment_id: status.id, body: `${status.body ?? ''}\n${branch.data.commit.sha}` }),
    );
    await dispatchAndReact(context, session);
  });
};

async function dispatchAndReact(context: Context<'issue_comment.created'>, session: string): Promise<void> {
  const rest = context.octokit.rest;
  await rest.actions.createWorkflowDispatch(
    context.repo({
      workflow_id: 'ipo.yml',
      ref: 'main',
      inputs: {
        session,
        phase: 'alignment',
        attempt: '1',
        'issue-number': String(context.payload.issue.number),
        'comment-id': String(context.payload.comment.id),
      },
    }),
  );
  await rest.reactions.createForIssueComment(
    context.repo({ comment_id: context.payload.comment.id, content: 'rocket' }),
  );
}

/** The local GitHub in a worker thread (see github-worker.ts), driven by messages. */
class RemoteGitHub {
  private readonly prepared: { resolve: (payload: unknown) => void; reject: (error: Error) => void }[] = [];
  private readonly dispatchWaiters: ((at: number) => void)[] = [];
  private readonly dispatches: number[] = [];
  private closed: (() => void) | undefined;

  private constructor(
    private readonly worker: Worker,
    readonly apiUrl: string,
    readonly app: { id: number; privateKey: string },
  ) {
    // A worker that fails must stop the bench with its reason, not leave it waiting.
    const fail = (error: Error) => {
      for (const waiter of this.prepared.splice(0)) waiter.reject(error);
    };
    worker.on('error', fail);
    worker.on('message', (message: FromGitHub) => {
      if (message.type === 'failed') fail(new Error(`bench GitHub: ${message.message}`));
      if (message.type === 'prepared') this.prepared.shift()?.resolve(message.payload);
      if (message.type === 'dispatched') {
        const waiter = this.dispatchWaiters.shift();
        if (waiter) waiter(message.at);
        else this.dispatches.push(message.at);
      }
      if (message.type === 'closed') this.closed?.();
    });
  }

  static start(): Promise<RemoteGitHub> {
    const worker = new Worker(new URL('./ts-worker.mjs', import.meta.url), {
      workerData: { module: new URL('./github-worker.ts', import.meta.url).href, secret: SECRET },
    });
    return new Promise((resolve, reject) => {
      worker.once('error', reject);
      worker.once('message', (message: FromGitHub) => {
        if (message.type !== 'ready') return reject(new Error(`bench GitHub sent ${message.type} first`));
        resolve(new RemoteGitHub(worker, message.apiUrl, message.app));
      });
    });
  }

  /** A new issue with the command on it; resolves with its `issue_comment.created` payload. */
  prepare(command: Command): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.prepared.push({ resolve, reject });
      const message: ToGitHub =
        command === 'start' ? { type: 'prepare', command, body: nextStart() } : { type: 'prepare', command };
      this.worker.postMessage(message);
    });
  }

  /** Wall-clock time of the next dispatch not yet taken; fails when none comes within 10 s. */
  nextDispatch(): Promise<number> {
    const at = this.dispatches.shift();
    if (at !== undefined) return Promise.resolve(at);
    return new Promise((resolve, reject) => {
      const waiter = (time: number) => {
        clearTimeout(timer);
        resolve(time);
      };
      const timer = setTimeout(() => {
        this.dispatchWaiters.splice(this.dispatchWaiters.indexOf(waiter), 1);
        reject(new Error('bench: the app answered the webhook but dispatched nothing within 10 s'));
      }, 10_000);
      this.dispatchWaiters.push(waiter);
    });
  }

  /** Forgets dispatches reported so far (the throughput run does not time them). */
  dropDispatches(): void {
    this.dispatches.length = 0;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.closed = resolve;
      this.worker.postMessage({ type: 'close' } satisfies ToGitHub);
    });
    await this.worker.terminate();
  }
}

/**
 * Webhook POST (signed, through Probot's real middleware) → workflow dispatch request at the local GitHub, which
 * runs on its own thread: latency of `count` sequential start comments, then throughput with 8 in flight, for
 * ipo's app, the bare app and the same-calls app.
 */
export async function measureWebhookDispatch(count: number): Promise<WebhookFigures> {
  const github = await RemoteGitHub.start();
  try {
    const deps = {
      now: () => new Date(),
      deliveries: createDeliveryCache(),
      runLookup: { attempts: 1, delayMs: 0 },
      claimSettle: { attempts: 1, delayMs: 0 },
      botLogin: undefined,
      stateKey: { kind: 'app-secret' as const, secret: SECRET },
    };
    const measure = async (app: ApplicationFunction, command: Command = 'start'): Promise<AppFigures> => {
      const served = await serveProbotApp(github, app, SECRET);
      try {
        return {
          latencies: await latencies(github, served.url, count, command),
          throughput: await throughput(github, served.url, count, command),
          rounds: await roundsOf(github, served.url, command),
        };
      } finally {
        await served.close();
      }
    };
    return {
      ipo: await measure((a, o) => ipoApp(a, o, deps)),
      ipoProceed: await measure((a, o) => ipoApp(a, o, deps), 'proceed'),
      bare: await measure(bareApp),
      sameCalls: await measure(sameCallsApp),
      sameCallsProceed: await measure(sameCallsProceedApp, 'proceed'),
    };
  } finally {
    await github.close();
  }
}

async function deliver(github: RemoteGitHub, url: string, payload: unknown): Promise<void> {
  const delivery = await deliverWebhook(url, 'issue_comment', payload, {
    secret: SECRET,
    appId: github.app.id,
  });
  if (delivery.status >= 300) throw new Error(`bench delivery ${delivery.status}: ${delivery.body}`);
}

/** One start comment on a fresh issue; resolves with ms from POST to the dispatch reaching the local GitHub. */
async function oneDelivery(github: RemoteGitHub, url: string, command: Command): Promise<number> {
  const payload = await github.prepare(command);
  const started = performance.timeOrigin + performance.now();
  await deliver(github, url, payload);
  return (await github.nextDispatch()) - started;
}

async function latencies(
  github: RemoteGitHub,
  url: string,
  count: number,
  command: Command,
): Promise<number[]> {
  await oneDelivery(github, url, command); // warm-up: installation token, first config read, JIT
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(await oneDelivery(github, url, command));
  return out;
}

/** The sequential REST rounds one (warm) delivery makes before its dispatch. */
async function roundsOf(github: RemoteGitHub, url: string, command: Command): Promise<number> {
  const calls: TimedCall[] = [];
  const stop = onRestCall((call) => calls.push(call));
  try {
    await oneDelivery(github, url, command);
  } finally {
    stop();
  }
  const dispatch = calls.find((c) => c.url.endsWith('/dispatches'));
  if (!dispatch) throw new Error('bench: no dispatch among the recorded calls');
  return sequentialRounds(calls.filter((c) => c.answeredAt <= dispatch.sentAt)).length;
}

/** Webhooks handled per second with 8 deliveries in flight (payloads prepared beforehand). */
async function throughput(
  github: RemoteGitHub,
  url: string,
  count: number,
  command: Command,
): Promise<number> {
  const payloads = await Promise.all(Array.from({ length: count }, () => github.prepare(command)));
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < payloads.length) await deliver(github, url, payloads[next++]);
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  const perSecond = count / ((performance.now() - started) / 1000);
  github.dropDispatches();
  return perSecond;
}
