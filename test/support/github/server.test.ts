import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalGitHub, startLocalGitHub } from './local-github.ts';
import { localOctokit } from './local-octokit.ts';

const TOKEN = 'ghs_app';
const repoParams = { owner: 'octo', repo: 'demo' };

describe('local GitHub server behaviour', () => {
  let github: LocalGitHub;

  beforeAll(async () => {
    github = await startLocalGitHub({ ...repoParams, tokens: [TOKEN] });
  });

  afterAll(() => github.close());

  it('names the method and path of an endpoint it does not implement', async () => {
    const octokit = localOctokit(github, TOKEN);
    await expect(octokit.request('POST /x/y', {})).rejects.toMatchObject({
      status: 404,
      response: { data: { message: 'local GitHub: no route for POST /x/y' } },
    });
  });

  it.each([
    ['no token', undefined, 'Requires authentication'],
    ['an unknown token', 'ghs_wrong', 'Bad credentials'],
  ])('answers 401 to an API call with %s', async (_case, token, message) => {
    const octokit = localOctokit(github, token);
    await expect(octokit.rest.repos.get(repoParams)).rejects.toMatchObject({
      status: 401,
      response: { data: { message } },
    });
    await expect(octokit.graphql('mutation { x }')).rejects.toMatchObject({ status: 401 });
  });

  it.each([
    ['token', `token ${TOKEN}`],
    ['bearer', `Bearer ${TOKEN}`],
    ['basic', `Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`],
  ])('accepts the %s authorization scheme', async (_case, authorization) => {
    const response = await fetch(`${github.apiUrl}/repos/octo/demo`, { headers: { authorization } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { full_name: string }).full_name).toBe('octo/demo');
  });

  it('fails the next matching requests with an injected 502, then recovers', async () => {
    const octokit = localOctokit(github, TOKEN);
    const issue = github.createIssue({ title: 'Faults' });
    github.failNext({ method: 'POST', path: /\/issues\/\d+\/comments$/, status: 502, times: 2 });

    for (let i = 0; i < 2; i += 1) {
      await expect(
        octokit.rest.issues.createComment({ ...repoParams, issue_number: issue.number, body: 'x' }),
      ).rejects.toMatchObject({ status: 502, response: { data: { message: 'local GitHub: injected 502' } } });
    }
    const ok = await octokit.rest.issues.createComment({
      ...repoParams,
      issue_number: issue.number,
      body: 'x',
    });
    expect(ok.status).toBe(201);
    expect(github.pendingFaults()).toBe(0);
    expect(github.state.comments.filter((c) => c.issueNumber === issue.number)).toHaveLength(1);
  });

  it('with afterHandling, carries the request out and only then answers with the fault', async () => {
    const octokit = localOctokit(github, TOKEN);
    const issue = github.createIssue({ title: 'Late fault' });
    github.failNext({ method: 'POST', path: /\/issues\/\d+\/comments$/, status: 504, afterHandling: true });

    await expect(
      octokit.rest.issues.createComment({ ...repoParams, issue_number: issue.number, body: 'landed' }),
    ).rejects.toMatchObject({ status: 504 });
    expect(github.state.comments.filter((c) => c.issueNumber === issue.number).map((c) => c.body)).toEqual([
      'landed',
    ]);
  });

  it('records method, API-relative path, query, body and whether credentials came', async () => {
    const octokit = localOctokit(github, TOKEN);
    const issue = github.createIssue({ title: 'Recorded' });
    const before = github.requests.length;
    await octokit.rest.issues.createComment({ ...repoParams, issue_number: issue.number, body: 'hello' });
    await octokit.rest.issues.listComments({ ...repoParams, issue_number: issue.number, per_page: 5 });
    await localOctokit(github, undefined)
      .rest.repos.get(repoParams)
      .catch(() => undefined);

    expect(github.requests.slice(before)).toEqual([
      {
        kind: 'rest',
        method: 'POST',
        path: `/repos/octo/demo/issues/${issue.number}/comments`,
        query: {},
        body: { body: 'hello' },
        hasAuthorization: true,
        status: 201,
      },
      expect.objectContaining({ method: 'GET', query: { per_page: '5' }, body: undefined, status: 200 }),
      expect.objectContaining({ path: '/repos/octo/demo', hasAuthorization: false, status: 401 }),
    ]);
  });

  it('serves a route added later ahead of the built-in one, with the repository resolved from the path', async () => {
    github.route(
      'POST',
      '/repos/:owner/:repo/actions/workflows/:id/dispatches',
      ({ repo, params, body }) => ({
        status: 204,
        headers: { 'x-dispatched': `${repo.fullName} ${params.id} ${String(body?.ref)}` },
      }),
    );
    const response = await localOctokit(github, TOKEN).rest.actions.createWorkflowDispatch({
      ...repoParams,
      workflow_id: 'ipo-phase.yml',
      ref: 'main',
    });
    expect(response.status).toBe(204);
    expect(response.headers['x-dispatched']).toBe('octo/demo ipo-phase.yml main');
  });

  it('adds a second repository with its own bare repo on main', async () => {
    await github.createRepo('octo', 'other');
    const octokit = localOctokit(github, TOKEN);
    const { data } = await octokit.rest.repos.get({ owner: 'octo', repo: 'other' });
    expect(data).toMatchObject({ full_name: 'octo/other', clone_url: github.gitUrl('octo', 'other') });
    const { data: ref } = await octokit.rest.git.getRef({ owner: 'octo', repo: 'other', ref: 'heads/main' });
    expect(ref.object.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(github.gitDir('octo', 'other')).not.toBe(github.gitDir());
  });
});
