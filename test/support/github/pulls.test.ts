import type { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git } from '../../../src/git/git.ts';
import { type LocalGitHub, startLocalGitHub } from './local-github.ts';
import { localOctokit } from './local-octokit.ts';

const TOKEN = 'ghs_app';
const repoParams = { owner: 'octo', repo: 'demo' };
const READY = `mutation($id: ID!) {
  markPullRequestReadyForReview(input: { pullRequestId: $id }) { pullRequest { isDraft number } }
}`;

describe('local GitHub pull requests', () => {
  let github: LocalGitHub;
  let octokit: Octokit;

  beforeAll(async () => {
    github = await startLocalGitHub({ ...repoParams, tokens: { [TOKEN]: 'ipo[bot]' } });
    octokit = localOctokit(github, TOKEN);
  });

  afterAll(() => github.close());

  /** A branch one commit ahead of main, written straight into the bare repository. */
  async function branchAhead(branch: string): Promise<string> {
    const env = {
      GIT_AUTHOR_NAME: 'Test Person',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test Person',
      GIT_COMMITTER_EMAIL: 'test@example.com',
    };
    const dir = github.gitDir();
    const sha = (
      await git(dir, ['commit-tree', 'main^{tree}', '-p', 'main', '-m', `work on ${branch}`], { env })
    ).trim();
    await octokit.rest.git.createRef({ ...repoParams, ref: `refs/heads/${branch}`, sha });
    return sha;
  }

  it('opens a draft pull request and finds it by head and state', async () => {
    const sha = await branchAhead('ipo/phase-1.2');
    const { status, data } = await octokit.rest.pulls.create({
      ...repoParams,
      title: 'feat: task 1.2',
      head: 'ipo/phase-1.2',
      base: 'main',
      body: 'Session phase-1.2',
      draft: true,
    });
    expect(status).toBe(201);
    expect(data).toMatchObject({
      draft: true,
      state: 'open',
      head: { ref: 'ipo/phase-1.2', sha },
      base: { ref: 'main' },
    });

    const { data: open } = await octokit.rest.pulls.list({
      ...repoParams,
      head: 'octo:ipo/phase-1.2',
      state: 'open',
    });
    expect(open.map((p) => p.number)).toEqual([data.number]);
    const { data: other } = await octokit.rest.pulls.list({ ...repoParams, head: 'octo:elsewhere' });
    expect(other).toEqual([]);
    const { data: asIssue } = await octokit.rest.issues.get({ ...repoParams, issue_number: data.number });
    expect(asIssue.pull_request?.url).toBe(data.url);
  });

  it('marks a draft ready for review through the GraphQL mutation, by node id', async () => {
    await branchAhead('ipo/ready');
    const { data: pr } = await octokit.rest.pulls.create({
      ...repoParams,
      title: 'feat: ready',
      head: 'ipo/ready',
      base: 'main',
      draft: true,
    });

    const result = await octokit.graphql<{
      markPullRequestReadyForReview: { pullRequest: { isDraft: boolean; number: number } };
    }>(READY, { id: pr.node_id });

    expect(result.markPullRequestReadyForReview.pullRequest).toMatchObject({
      isDraft: false,
      number: pr.number,
    });
    const { data: after } = await octokit.rest.pulls.get({ ...repoParams, pull_number: pr.number });
    expect(after.draft).toBe(false);
    expect(github.requests.at(-2)).toMatchObject({ kind: 'graphql', path: '/graphql', status: 200 });
  });

  it.each([
    ['any other query', 'query { viewer { login } }', {}, /only the markPullRequestReadyForReview mutation/],
    [
      'an unknown pull request id',
      READY,
      { id: 'PR_missing' },
      /Could not resolve to a node .* 'PR_missing'/,
    ],
  ])('answers a GraphQL error for %s', async (_case, query, variables, message) => {
    await expect(octokit.graphql(query, variables)).rejects.toMatchObject({
      name: 'GraphqlResponseError',
      errors: [{ message: expect.stringMatching(message) }],
    });
  });

  it('refuses a second open pull request for the same head, and one without commits', async () => {
    await branchAhead('ipo/dup');
    await octokit.rest.pulls.create({ ...repoParams, title: 'first', head: 'ipo/dup', base: 'main' });
    await expect(
      octokit.rest.pulls.create({ ...repoParams, title: 'second', head: 'ipo/dup', base: 'main' }),
    ).rejects.toMatchObject({
      status: 422,
      response: { data: { errors: [{ message: 'A pull request already exists for octo:ipo/dup.' }] } },
    });
    await expect(
      octokit.rest.pulls.create({ ...repoParams, title: 'empty', head: 'main', base: 'main' }),
    ).rejects.toMatchObject({
      status: 422,
      response: { data: { errors: [{ message: 'No commits between main and main' }] } },
    });
  });

  it('updates title and state, ignores draft in a PATCH, and lists closed ones only on request', async () => {
    await branchAhead('ipo/patch');
    const { data: pr } = await octokit.rest.pulls.create({
      ...repoParams,
      title: 'wip',
      head: 'ipo/patch',
      base: 'main',
      draft: true,
    });

    const { data: patched } = await octokit.rest.pulls.update({
      ...repoParams,
      pull_number: pr.number,
      title: 'feat: done',
      state: 'closed',
      // GitHub ignores draft here (leaving draft takes GraphQL), and so does the local server.
      draft: false,
    });

    expect(patched).toMatchObject({ title: 'feat: done', state: 'closed', draft: true });
    expect(patched.closed_at).not.toBeNull();
    const { data: open } = await octokit.rest.pulls.list({ ...repoParams, head: 'octo:ipo/patch' });
    const { data: all } = await octokit.rest.pulls.list({
      ...repoParams,
      head: 'octo:ipo/patch',
      state: 'all',
    });
    expect([open.length, all.length]).toEqual([0, 1]);
  });

  it('reports the head branch at its current commit after the branch moves', async () => {
    await branchAhead('ipo/moving');
    const { data: pr } = await octokit.rest.pulls.create({
      ...repoParams,
      title: 'moving',
      head: 'ipo/moving',
      base: 'main',
    });
    const dir = github.gitDir();
    const env = {
      GIT_AUTHOR_NAME: 'T',
      GIT_AUTHOR_EMAIL: 't@e',
      GIT_COMMITTER_NAME: 'T',
      GIT_COMMITTER_EMAIL: 't@e',
    };
    const next = (
      await git(dir, ['commit-tree', 'main^{tree}', '-p', 'ipo/moving', '-m', 'more'], { env })
    ).trim();
    await octokit.rest.git.updateRef({ ...repoParams, ref: 'heads/ipo/moving', sha: next });

    const { data } = await octokit.rest.pulls.get({ ...repoParams, pull_number: pr.number });
    expect(data.head.sha).toBe(next);
  });
});
