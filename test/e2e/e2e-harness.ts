import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StatusMarker } from '../../src/github/status-marker.ts';
import { readStatusComment } from '../../src/github/sticky-comment.ts';
import { type ReplayServer, startReplayServer } from '../../src/replay/replay-server.ts';
import type { ReplayScript } from '../../src/replay/script-schema.ts';
import { appTrust } from '../support/app-trust.ts';
import { writeExampleSeed } from '../support/example-seed.ts';
import { type LocalGitHub, startLocalGitHub } from '../support/github/local-github.ts';
import { localOctokit } from '../support/github/local-octokit.ts';
import { issueCommentCreated } from '../support/github/webhook-payloads.ts';
import { type PhaseRunner, startPhaseRunner } from '../support/runner/phase-runner.ts';
import { serveIpoApp } from '../support/serve-probot-app.ts';

const PHASE_WORKFLOW = fileURLToPath(new URL('../../.github/workflows/ipo-phase.yml', import.meta.url));
export const OWNER = 'acme';
export const REPO = 'tally';
const SECRET = 'e2e-webhook-secret';
const RUNNER_TOKEN = 'ghs_runner_job_token_0123456789';
/** The agent job's GITHUB_TOKEN: ipo-phase.yml gives that job read-only permissions. */
export const AGENT_TOKEN = 'ghs_agent_job_readonly_token_0123';

export interface E2E {
  github: LocalGitHub;
  replay: ReplayServer;
  runner: PhaseRunner;
  /** The repository's state key (secret IPO_STATE_KEY) the write jobs are given. */
  stateKey: string | null;
  issue: number;
  /**
   * A person comments on the issue; resolves once the app and every run it caused are done, or (`waitForRuns:
   * false`) once the app has answered the delivery.
   */
  comment(user: string, body: string, options?: { waitForRuns?: boolean }): Promise<number>;
  /** Stops the app and starts a fresh instance (no state carried over). */
  restartApp(): Promise<void>;
  marker(): Promise<StatusMarker | null>;
  comments(): { user: string; body: string }[];
  close(): Promise<void>;
}

/** Local GitHub + the real app behind its webhook middleware + a runner executing phase runs + a replayed model. */
export async function startE2E(
  script: ReplayScript,
  /** More tokens the local GitHub accepts (token → login), e.g. a person's, to call the API as them. */
  tokens: Record<string, string> = {},
  /** Fills the directory the local GitHub commits as `main` (default: the example repository and caller workflow). */
  writeSeed: (seed: string) => Promise<unknown> = writeExampleSeed,
): Promise<E2E> {
  const seed = await mkdtemp(join(tmpdir(), 'ipo-e2e-seed-'));
  await writeSeed(seed);
  const github = await startLocalGitHub({
    owner: OWNER,
    repo: REPO,
    tokens: { [RUNNER_TOKEN]: 'github-actions[bot]', [AGENT_TOKEN]: 'github-actions[bot]', ...tokens },
    // The agent job's token: `permissions: read` in ipo-phase.yml, so every write it tried would be refused.
    readOnlyTokens: [AGENT_TOKEN],
    permissions: { maintainer: 'admin', writer: 'write', reader: 'read' },
    seed,
    app: { id: 777 },
    webhookSecret: SECRET,
  });
  // The seed's caller workflow runs `OWNER/isolated-phase-orchestrator/.github/workflows/ipo-phase.yml@v1`: with that
  // repository here, the local GitHub puts each run in the called workflow's concurrency group (`ipo-<session>`).
  await mkdir(join(seed, 'action', '.github', 'workflows'), { recursive: true });
  await cp(PHASE_WORKFLOW, join(seed, 'action', '.github', 'workflows', 'ipo-phase.yml'));
  await github.createRepo('OWNER', 'isolated-phase-orchestrator', join(seed, 'action'));
  const action = github.state.repo('OWNER', 'isolated-phase-orchestrator');
  const actionMain = await action?.git.ref('refs/heads/main');
  if (!action || !actionMain) throw new Error('e2e: the action repository was not created');
  await action.git.createRef('refs/tags/v1', actionMain.sha);
  const replay = await startReplayServer({ script });
  let app = await serveIpoApp(github, SECRET);
  const trust = appTrust(github, SECRET, `${OWNER}/${REPO}`);
  const runner = startPhaseRunner({
    github,
    owner: OWNER,
    repo: REPO,
    token: RUNNER_TOKEN,
    readToken: AGENT_TOKEN,
    replayUrl: replay.url,
    webhookUrl: () => app?.url ?? null,
    state: { key: trust.key, author: trust.author },
  });
  const issue = github.createIssue({
    title: 'Add median (task 1.3)',
    body: 'Roadmap task 1.3.',
    user: 'maintainer',
  });
  const octokit = localOctokit(github, RUNNER_TOKEN);
  return {
    github,
    replay,
    runner,
    stateKey: trust.key,
    issue: issue.number,
    async comment(user, body, { waitForRuns = true } = {}) {
      const comment = github.createComment(issue.number, { body, user });
      const payload = issueCommentCreated(github, { issue, comment });
      const delivery = await github.deliver(app?.url ?? '', 'issue_comment', payload);
      if (waitForRuns) await runner.idle();
      return delivery.status;
    },
    async restartApp() {
      await app?.close();
      app = await serveIpoApp(github, SECRET);
    },
    async marker() {
      return (
        (await readStatusComment(octokit, { owner: OWNER, repo: REPO }, issue.number, trust))?.marker ?? null
      );
    },
    comments() {
      return github.state.comments
        .filter((c) => c.issueNumber === issue.number)
        .map((c) => ({ user: c.user, body: c.body }));
    },
    async close() {
      await runner.close();
      await app?.close();
      await replay.close();
      await github.close();
      await rm(seed, { recursive: true, force: true });
    },
  };
}
