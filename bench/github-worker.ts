/**
 * The local GitHub on its own thread for the webhook benchmark: GitHub's work is not done on the app's CPU in real
 * life, and on one thread the fake's request handling would be billed to the app (ten calls cost it ten times what
 * the bare app's one call costs). Messages: `prepare` → a start comment's `issue_comment.created` payload; every
 * dispatch is reported with its wall-clock time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { writeExampleSeed } from '../test/support/example-seed.ts';
import { startLocalGitHub } from '../test/support/github/local-github.ts';
import { issueCommentCreated } from '../test/support/github/webhook-payloads.ts';

export type ToGitHub = { type: 'prepare'; body: string } | { type: 'close' };
export type FromGitHub =
  | { type: 'ready'; apiUrl: string; app: { id: number; privateKey: string } }
  | { type: 'prepared'; payload: unknown }
  | { type: 'dispatched'; at: number }
  | { type: 'closed' };

const port = parentPort;
if (!port) throw new Error('github-worker.ts runs as a worker thread');
const send = (message: FromGitHub) => port.postMessage(message);

const seed = await mkdtemp(join(tmpdir(), 'ipo-bench-hook-'));
await writeExampleSeed(seed);
const github = await startLocalGitHub({
  owner: 'acme',
  repo: 'tally',
  tokens: [],
  permissions: { maintainer: 'admin' },
  seed,
  app: { id: 99 },
  webhookSecret: (workerData as { secret: string }).secret,
});
const app = github.app;
if (!app) throw new Error('the local GitHub registered no app');
// Wall-clock milliseconds with sub-ms precision, comparable across threads.
github.onDispatch(() => send({ type: 'dispatched', at: performance.timeOrigin + performance.now() }));

port.on('message', async (message: ToGitHub) => {
  if (message.type === 'prepare') {
    const issue = github.createIssue({ title: 'bench', user: 'maintainer' });
    const comment = github.createComment(issue.number, { body: message.body, user: 'maintainer' });
    send({ type: 'prepared', payload: issueCommentCreated(github, { issue, comment }) });
  } else {
    await github.close();
    await rm(seed, { recursive: true, force: true });
    send({ type: 'closed' });
    port.close();
  }
});
send({ type: 'ready', apiUrl: github.apiUrl, app: { id: app.id, privateKey: app.privateKey } });
