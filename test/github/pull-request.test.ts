import type { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git } from '../../src/git/git.ts';
import { ensureDraftPullRequest, markReadyForReview } from '../../src/github/pull-request.ts';
import { type LocalGitHub, startLocalGitHub } from '../support/github/local-github.ts';
import { localOctokit } from '../support/github/local-octokit.ts';

const TOKEN = 'ghs_app';
const repo = { owner: 'octo', repo: 'demo' };
const IDENTITY = {
  GIT_AUTHOR_NAME: 'Test Person',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test Person',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

describe('pull requests', () => {
  let github: LocalGitHub;
  let octokit: Octokit;

  beforeAll(async () => {
    github = await startLocalGitHub({ ...repo, tokens: { [TOKEN]: 'ipo[bot]' } });
    octokit = localOctokit(github, TOKEN);
  });

  afterAll(() => github.close());

  /** A session branch one commit ahead of main, written straight into the bare repository. */
  async function sessionBranch(branch: string): Promise<void> {
    const dir = github.gitDir();
    const sha = (
      await git(dir, ['commit-tree', 'main^{tree}', '-p', 'main', '-m', `work on ${branch}`], {
        env: IDENTITY,
      })
    ).trim();
    await git(dir, ['update-ref', `refs/heads/${branch}`, sha]);
  }

  const pullOf = (number: number) => github.state.pulls.find((p) => p.number === number);
  const issueOf = (number: number) => github.state.issues.find((i) => i.number === number);

  it('creates a draft pull request once, then updates its title and body', async () => {
    await sessionBranch('ipo/phase-2.4-20250131');
    const fields = {
      head: 'ipo/phase-2.4-20250131',
      base: 'main',
      title: 'ipo: task 2.4',
      body: 'Session started',
    };

    const created = await ensureDraftPullRequest(octokit, repo, fields);
    const updated = await ensureDraftPullRequest(octokit, repo, {
      ...fields,
      title: 'feat: log out',
      body: 'Implemented',
    });

    expect(created).toEqual({
      number: created.number,
      url: `${github.webUrl}/octo/demo/pull/${created.number}`,
      nodeId: pullOf(created.number)?.nodeId,
      created: true,
      draft: true,
    });
    expect(updated).toEqual({ ...created, created: false });
    expect(github.state.pulls.filter((p) => p.head === fields.head)).toHaveLength(1);
    expect(pullOf(created.number)?.draft).toBe(true);
    expect(issueOf(created.number)).toMatchObject({
      title: 'feat: log out',
      body: 'Implemented',
      user: 'ipo[bot]',
    });
  });

  it('opens the pull request for review where the plan refuses drafts, and says so in its body', async () => {
    const record = github.state.repo('octo', 'demo');
    if (!record) throw new Error('no repository');
    await sessionBranch('ipo/phase-2.5-20250131');
    record.draftPullRequests = false;
    try {
      const pr = await ensureDraftPullRequest(octokit, repo, {
        head: 'ipo/phase-2.5-20250131',
        base: 'main',
        title: 'ipo: task 2.5',
        body: 'Session started',
      });
      expect(pr).toMatchObject({ created: true, draft: false });
      expect(pullOf(pr.number)?.draft).toBe(false);
      expect(issueOf(pr.number)?.body).toMatch(
        /^Session started\n\n_Opened for review rather than as a draft/,
      );
      const posts = github.requests.filter((r) => r.method === 'POST' && r.path === '/repos/octo/demo/pulls');
      expect(posts.map((r) => r.status).slice(-2)).toEqual([422, 201]);
    } finally {
      record.draftPullRequests = undefined;
    }
  });

  it('cuts a title longer than GitHub takes (256 characters) instead of failing after the push', async () => {
    await sessionBranch('ipo/phase-2.6-20250131');
    const pr = await ensureDraftPullRequest(octokit, repo, {
      head: 'ipo/phase-2.6-20250131',
      base: 'main',
      title: `ipo: ${'very long task title '.repeat(20)}`,
      body: 'Session started',
    });
    const title = issueOf(pr.number)?.title ?? '';
    expect([...title]).toHaveLength(256);
    expect(title.endsWith('…')).toBe(true);
  });

  it('sends no update when title and body are already current', async () => {
    await sessionBranch('ipo/steady');
    const fields = { head: 'ipo/steady', base: 'main', title: 'steady', body: 'same' };
    await ensureDraftPullRequest(octokit, repo, fields);
    const before = github.requests.length;

    await ensureDraftPullRequest(octokit, repo, fields);

    expect(github.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/octo/demo/pulls',
    ]);
  });

  it('updates the pull request another job created between its lookup and its create', async () => {
    await sessionBranch('ipo/race');
    const winner = await ensureDraftPullRequest(octokit, repo, {
      head: 'ipo/race',
      base: 'main',
      title: 'first',
      body: 'a',
    });
    // This job's lookup ran before the winner's create: it saw no pull request.
    github.failNext({ method: 'GET', path: '/repos/octo/demo/pulls', status: 200, body: [] });
    const before = github.requests.length;

    const loser = await ensureDraftPullRequest(octokit, repo, {
      head: 'ipo/race',
      base: 'main',
      title: 'second',
      body: 'b',
    });

    expect(github.requests.slice(before).map((r) => `${r.method} ${r.status}`)).toEqual([
      'GET 200',
      'POST 422',
      'GET 200',
      'PATCH 200',
    ]);
    expect(loser).toEqual({ ...winner, created: false });
    expect(issueOf(winner.number)).toMatchObject({ title: 'second', body: 'b' });
  });

  it('lets GitHub’s refusal through when the branch has no commits over the base', async () => {
    await expect(
      ensureDraftPullRequest(octokit, repo, { head: 'main', base: 'main', title: 'nothing', body: '' }),
    ).rejects.toMatchObject({ name: 'HttpError', status: 422 });
  });

  it('marks the draft ready for review through GraphQL', async () => {
    await sessionBranch('ipo/ready');
    const pr = await ensureDraftPullRequest(octokit, repo, {
      head: 'ipo/ready',
      base: 'main',
      title: 't',
      body: 'b',
    });

    const result = await markReadyForReview(octokit, pr.nodeId);

    expect(result).toEqual({ isDraft: false });
    expect(pullOf(pr.number)?.draft).toBe(false);
    const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: pr.number });
    expect(data.draft).toBe(false);
  });

  it('lets a GraphQL error through for an unknown node id', async () => {
    await expect(markReadyForReview(octokit, 'PR_missing')).rejects.toMatchObject({
      name: 'GraphqlResponseError',
      errors: [{ type: 'NOT_FOUND' }],
    });
  });
});
