import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNode } from '../action/action-harness.ts';
import { writeExampleSeed } from '../support/example-seed.ts';
import { type LocalGitHub, startLocalGitHub } from '../support/github/local-github.ts';
import { issueCommentCreated } from '../support/github/webhook-payloads.ts';

const BUNDLE = fileURLToPath(new URL('../../app-action/dist/index.js', import.meta.url));
const TOKEN = 'ghs_workflow_job_token_42';

describe('zero-infra mode: the app bundled as an Action, run by an issue_comment workflow', () => {
  let github: LocalGitHub;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ipo-zero-infra-'));
    const seed = join(dir, 'seed');
    await writeExampleSeed(seed);
    github = await startLocalGitHub({
      owner: 'acme',
      repo: 'tally',
      tokens: { [TOKEN]: 'github-actions[bot]' },
      permissions: { maintainer: 'admin', reader: 'read' },
      seed,
    });
  });
  afterAll(async () => {
    await github?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function runEvent(user: string, body: string) {
    const issue = github.createIssue({ title: 'median', user });
    const comment = github.createComment(issue.number, { body, user });
    const eventPath = join(dir, `event-${comment.id}.json`);
    await writeFile(
      eventPath,
      JSON.stringify(issueCommentCreated(github, { issue, comment, installationId: 1 })),
    );
    const result = await runNode(BUNDLE, dir, {
      PATH: process.env.PATH ?? '',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'issue_comment',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_API_URL: github.apiUrl,
      GITHUB_REPOSITORY: 'acme/tally',
      GITHUB_RUN_ID: String(comment.id),
      'INPUT_GITHUB-TOKEN': TOKEN,
    });
    return { issue, result };
  }

  it('dispatches alignment for a start comment by a maintainer, with the job token', async () => {
    const { issue, result } = await runEvent('maintainer', "I'm going to start implementation of phase 1.3");
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const runs = github.actions.runs.filter((r) => r.inputs['issue-number'] === String(issue.number));
    expect(runs.map((r) => r.inputs.phase)).toEqual(['alignment']);
  }, 60_000);

  it('refuses a reader with a reply and dispatches nothing', async () => {
    const before = github.actions.runs.length;
    const { issue, result } = await runEvent('reader', "I'm going to start phase 1.2");
    expect(result.exitCode).toBe(0);
    expect(github.actions.runs.length).toBe(before);
    const replies = github.state.comments.filter(
      (c) => c.issueNumber === issue.number && c.user === 'github-actions[bot]',
    );
    expect(replies.at(-1)?.body).toMatch(/@reader may not say/);
  }, 60_000);
});
