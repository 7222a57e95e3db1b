/**
 * The local GitHub on its own thread for the webhook benchmark: GitHub's work is not done on the app's CPU in real
 * life, and on one thread the fake's request handling would be billed to the app (ten calls cost it ten times what
 * the bare app's one call costs). Messages: `prepare` → the `issue_comment.created` payload of a start (or an approval at an open gate); every
 * dispatch is reported with its wall-clock time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { repositoryStateKey } from '../src/github/marker-trust.ts';
import { seededMarker, statusBody, withPreviousRun } from '../test/app/seeded-marker.ts';
import { DIGEST } from '../test/state/fixtures.ts';
import { writeExampleSeed } from '../test/support/example-seed.ts';
import { startLocalGitHub } from '../test/support/github/local-github.ts';
import { issueCommentCreated } from '../test/support/github/webhook-payloads.ts';

/** `start`: a fresh issue and a start comment. `proceed`: an issue whose session awaits `proceed to implementation`. */
export type ToGitHub =
  | { type: 'prepare'; command: 'start'; body: string }
  | { type: 'prepare'; command: 'proceed' }
  | { type: 'close' };
export type FromGitHub =
  | { type: 'ready'; apiUrl: string; app: { id: number; privateKey: string } }
  | { type: 'prepared'; payload: unknown }
  | { type: 'dispatched'; at: number }
  | { type: 'failed'; message: string }
  | { type: 'closed' };

if (!parentPort) throw new Error('github-worker.ts runs as a worker thread');
const port: MessagePort = parentPort;
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
const botLogin = app.botLogin;
// Wall-clock milliseconds with sub-ms precision, comparable across threads.
github.onDispatch(() => send({ type: 'dispatched', at: performance.timeOrigin + performance.now() }));

port.on('message', (message: ToGitHub) => {
  handle(message).catch((error: unknown) =>
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
  );
});

async function handle(message: ToGitHub): Promise<void> {
  if (message.type === 'prepare') {
    const issue = github.createIssue({ title: 'bench', user: 'maintainer' });
    let body = message.command === 'start' ? message.body : 'proceed to implementation';
    if (message.command === 'proceed') {
      // What alignment leaves behind: the session branch at main's head, the app's status comment at the gate.
      const repo = github.state.repo('acme', 'tally');
      const head = repo && (await repo.git.ref('refs/heads/main'))?.sha;
      if (!repo || !head) throw new Error('the bench repository has no main');
      const status = {
        kind: 'awaiting',
        gate: 'implementation',
        approves: { digest: DIGEST, head },
      } as const;
      const marker = await withPreviousRun(
        github,
        repo,
        seededMarker(`9.${issue.number}`, status, {
          issueNumber: issue.number,
          head,
          startedBy: 'maintainer',
          repo: 'acme/tally',
        }),
      );
      await repo.git.createRef(`refs/heads/${marker.branch}`, head);
      const key = repositoryStateKey((workerData as { secret: string }).secret, 'acme/tally');
      github.createComment(issue.number, { body: statusBody(marker, key), user: botLogin });
      body = 'proceed to implementation';
    }
    const comment = github.createComment(issue.number, { body, user: 'maintainer' });
    send({ type: 'prepared', payload: issueCommentCreated(github, { issue, comment }) });
  } else {
    await github.close();
    await rm(seed, { recursive: true, force: true });
    send({ type: 'closed' });
    port.close();
  }
}
send({ type: 'ready', apiUrl: github.apiUrl, app: { id: app.id, privateKey: app.privateKey } });
