import { getOctokit } from '@actions/github';
import type { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalGitHub, startLocalGitHub } from './local-github.ts';
import { localOctokit } from './local-octokit.ts';

const APP_TOKEN = 'ghs_app_installation';
const PERSON_TOKEN = 'ghp_person';
const repoParams = { owner: 'octo', repo: 'demo' };

describe('local GitHub issues and comments', () => {
  let github: LocalGitHub;
  let app: Octokit;

  beforeAll(async () => {
    github = await startLocalGitHub({
      ...repoParams,
      tokens: { [APP_TOKEN]: 'ipo[bot]', [PERSON_TOKEN]: 'alice' },
    });
    app = localOctokit(github, APP_TOKEN);
  });

  afterAll(() => github.close());

  it('creates an issue as the token owner and reads it back', async () => {
    const person = localOctokit(github, PERSON_TOKEN);
    const created = await person.rest.issues.create({ ...repoParams, title: 'Task 1.2', body: 'Do it' });
    expect(created.status).toBe(201);

    const { data } = await app.rest.issues.get({ ...repoParams, issue_number: created.data.number });
    expect(data).toMatchObject({ title: 'Task 1.2', body: 'Do it', state: 'open', user: { login: 'alice' } });
    expect(data.html_url).toBe(`${github.webUrl}/octo/demo/issues/${created.data.number}`);
    expect(data.pull_request).toBeUndefined();
  });

  it('creates, reads, updates and deletes a comment, authored by a Bot for an app token', async () => {
    const issue = github.createIssue({ title: 'Comments', user: 'alice' });
    const { data: created } = await app.rest.issues.createComment({
      ...repoParams,
      issue_number: issue.number,
      body: 'status: aligning',
    });
    expect(created.user).toMatchObject({ login: 'ipo[bot]', type: 'Bot' });

    const { data: updated } = await app.rest.issues.updateComment({
      ...repoParams,
      comment_id: created.id,
      body: 'status: awaiting implementation',
    });
    expect(updated.body).toBe('status: awaiting implementation');

    const { data: read } = await app.rest.issues.getComment({ ...repoParams, comment_id: created.id });
    expect(read.body).toBe('status: awaiting implementation');
    expect(github.state.comments.find((c) => c.id === created.id)?.body).toBe(
      'status: awaiting implementation',
    );
    const { data: after } = await app.rest.issues.get({ ...repoParams, issue_number: issue.number });
    expect(after.comments).toBe(1);

    const deleted = await app.rest.issues.deleteComment({ ...repoParams, comment_id: created.id });
    expect(deleted.status).toBe(204);
    await expect(app.rest.issues.getComment({ ...repoParams, comment_id: created.id })).rejects.toMatchObject(
      {
        status: 404,
      },
    );
  });

  it('counts reactions on a comment and keeps one per user and content', async () => {
    const issue = github.createIssue({ title: 'Reactions' });
    const comment = github.createComment(issue.number, { body: 'proceed to implementation', user: 'alice' });
    const first = await app.rest.reactions.createForIssueComment({
      ...repoParams,
      comment_id: comment.id,
      content: 'eyes',
    });
    const again = await app.rest.reactions.createForIssueComment({
      ...repoParams,
      comment_id: comment.id,
      content: 'eyes',
    });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.data.id).toBe(first.data.id);

    const { data } = await app.rest.issues.getComment({ ...repoParams, comment_id: comment.id });
    expect(data.reactions).toMatchObject({ total_count: 1, eyes: 1, rocket: 0 });
  });

  it('pages 105 comments with link headers so octokit.paginate returns them all in order', async () => {
    const issue = github.createIssue({ title: 'Busy issue' });
    for (let i = 1; i <= 105; i += 1)
      github.createComment(issue.number, { body: `comment ${i}`, user: 'alice' });
    const before = github.requests.length;

    const all = await app.paginate(app.rest.issues.listComments, {
      ...repoParams,
      issue_number: issue.number,
      per_page: 100,
    });

    expect(all).toHaveLength(105);
    expect(all.at(0)?.body).toBe('comment 1');
    expect(all.at(-1)?.body).toBe('comment 105');
    const pages = github.requests.slice(before).map((r) => r.query.page ?? '1');
    expect(pages).toEqual(['1', '2']);
  });

  it('serves getOctokit from @actions/github pointed at the local API', async () => {
    const octokit = getOctokit(APP_TOKEN, { baseUrl: github.apiUrl });
    const issue = github.createIssue({ title: 'From the Action' });
    const { data } = await octokit.rest.issues.createComment({
      ...repoParams,
      issue_number: issue.number,
      body: 'hi',
    });
    expect(data.issue_url).toBe(`${github.apiUrl}/repos/octo/demo/issues/${issue.number}`);
    const { data: repo } = await octokit.rest.repos.get(repoParams);
    expect(repo).toMatchObject({
      full_name: 'octo/demo',
      default_branch: 'main',
      private: false,
      owner: { login: 'octo' },
    });
    expect(repo.clone_url).toBe(github.gitUrl());
  });

  it('answers 404 Not Found for a missing issue and a missing repository', async () => {
    await expect(app.rest.issues.get({ ...repoParams, issue_number: 9999 })).rejects.toMatchObject({
      status: 404,
      response: { data: { message: 'Not Found' } },
    });
    await expect(app.rest.repos.get({ owner: 'octo', repo: 'absent' })).rejects.toMatchObject({
      status: 404,
    });
  });

  it('refuses a comment without a body with 422', async () => {
    const issue = github.createIssue({ title: 'Empty' });
    const response = await fetch(`${github.apiUrl}/repos/octo/demo/issues/${issue.number}/comments`, {
      method: 'POST',
      headers: { authorization: `token ${APP_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'not the body field' }),
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ message: 'Invalid request.\n\n"body" wasn\'t supplied.' });
  });
});
