import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Octokit } from '@octokit/rest';
import type { StateTrust } from '../../src/github/marker-trust.ts';
import { type ReplayServer, startReplayServer } from '../../src/replay/replay-server.ts';
import type { ReplayScript } from '../../src/replay/script-schema.ts';
import { appTrust } from '../../test/support/app-trust.ts';
import { writeExampleSeed } from '../../test/support/example-seed.ts';
import type { CommentRecord } from '../../test/support/github/github-state.ts';
import type { RepoRole } from '../../test/support/github/github-types.ts';
import { type Delivery, type LocalGitHub, startLocalGitHub } from '../../test/support/github/local-github.ts';
import { localOctokit } from '../../test/support/github/local-octokit.ts';
import { issueCommentCreated } from '../../test/support/github/webhook-payloads.ts';
import { type PhaseRunner, startPhaseRunner } from '../../test/support/runner/phase-runner.ts';
import { serveIpoApp } from '../../test/support/serve-probot-app.ts';

const OWNER = 'acme';
const REPO = 'tally';
const SECRET = 'sandbox-webhook-secret';
// The job's GITHUB_TOKEN; the sandbox also reads through it, as a workflow would.
const RUNNER_TOKEN = 'ghs_sandbox_runner_token_0123456789';

/** The people who can comment, and the role the permission endpoint reports for each. */
export const SANDBOX_USERS = {
  maintainer: 'admin',
  writer: 'write',
  reader: 'read',
} as const satisfies Record<string, RepoRole>;
export type SandboxUser = keyof typeof SANDBOX_USERS;

export interface Sandbox {
  github: LocalGitHub;
  replay: ReplayServer;
  runner: PhaseRunner;
  /** Reads the local GitHub through its REST API. */
  octokit: Octokit;
  appUrl: string;
  owner: string;
  repo: string;
  issue: number;
  /** Whose status comments count and the key that seals them, as the app applies them. */
  trust: StateTrust;
  /** `user` comments on the issue; resolves once the app answered and every run it caused finished and reported. */
  comment(user: SandboxUser, body: string): Promise<{ commentId: number; delivery: Delivery }>;
  /** The issue's comments, oldest first, as the local GitHub holds them. */
  comments(): CommentRecord[];
  /** Stops every server and removes every temporary directory; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts the end-to-end stack on 127.0.0.1: a local GitHub seeded with examples/demo-repo (plus the caller
 * workflow), the real app behind its webhook middleware, a runner executing dispatched phase runs through
 * dist/index.js, and a Messages API replaying `script`.
 */
export async function startSandbox(options: { script: ReplayScript }): Promise<Sandbox> {
  const cleanup: (() => Promise<unknown>)[] = [];
  const close = async () => {
    // Last started, first stopped: the runner before the app it reports to, the GitHub last.
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
  };
  try {
    const seed = await mkdtemp(join(tmpdir(), 'ipo-sandbox-seed-'));
    cleanup.push(() => rm(seed, { recursive: true, force: true }));
    await writeExampleSeed(seed);
    const github = await startLocalGitHub({
      owner: OWNER,
      repo: REPO,
      tokens: { [RUNNER_TOKEN]: 'github-actions[bot]' },
      permissions: SANDBOX_USERS,
      seed,
      app: { id: 777 },
      webhookSecret: SECRET,
    });
    cleanup.push(() => github.close());
    const replay = await startReplayServer({ script: options.script });
    cleanup.push(() => replay.close());
    const app = await serveIpoApp(github, SECRET);
    cleanup.push(() => app.close());
    const trust = appTrust(github, SECRET, `${OWNER}/${REPO}`);
    const runner = startPhaseRunner({
      github,
      owner: OWNER,
      repo: REPO,
      token: RUNNER_TOKEN,
      replayUrl: replay.url,
      webhookUrl: () => app.url,
      state: { key: trust.key, author: trust.author },
    });
    cleanup.push(() => runner.close());
    const issue = github.createIssue({
      title: 'Add median (task 1.3)',
      body: 'Roadmap task 1.3.',
      user: 'maintainer',
    });
    return {
      github,
      replay,
      runner,
      octokit: localOctokit(github, RUNNER_TOKEN),
      appUrl: app.url,
      owner: OWNER,
      repo: REPO,
      issue: issue.number,
      trust,
      async comment(user, body) {
        const comment = github.createComment(issue.number, { body, user });
        const delivery = await github.deliver(
          app.url,
          'issue_comment',
          issueCommentCreated(github, { issue, comment }),
        );
        await runner.idle();
        return { commentId: comment.id, delivery };
      },
      comments: () => github.state.comments.filter((c) => c.issueNumber === issue.number),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
