import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git } from '../../../src/git/git.ts';
import { type LocalGitHub, startLocalGitHub } from './local-github.ts';
import { localOctokit } from './local-octokit.ts';

const WRITE = 'ghs_write_token';
const READ = 'ghs_read_only_token';

describe('a read-only token (a job with `permissions: read`)', () => {
  let github: LocalGitHub;
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'local-github-readonly-'));
    github = await startLocalGitHub({
      owner: 'octo',
      repo: 'demo',
      tokens: [WRITE, READ],
      readOnlyTokens: [READ],
    });
  });
  afterAll(async () => {
    await github.close();
    await rm(work, { recursive: true, force: true });
  });

  it('reads, and every REST write answers 403 "Resource not accessible by integration"', async () => {
    const octokit = localOctokit(github, READ);
    const issue = github.createIssue({ title: 'Task', user: 'alice' });
    await expect(
      octokit.rest.issues.get({ owner: 'octo', repo: 'demo', issue_number: issue.number }),
    ).resolves.toMatchObject({ status: 200 });
    await expect(
      octokit.rest.issues.createComment({
        owner: 'octo',
        repo: 'demo',
        issue_number: issue.number,
        body: 'x',
      }),
    ).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining('Resource not accessible by integration'),
    });
    expect(github.state.comments.filter((c) => c.issueNumber === issue.number)).toEqual([]);
    // The same call with the write token goes through.
    await localOctokit(github, WRITE).rest.issues.createComment({
      owner: 'octo',
      repo: 'demo',
      issue_number: issue.number,
      body: 'x',
    });
    expect(github.state.comments.filter((c) => c.issueNumber === issue.number)).toHaveLength(1);
  });

  it('clones, but a push is refused and the branch stays where it was', async () => {
    const dir = join(work, 'clone');
    await git(work, ['clone', '--quiet', github.gitUrl(), dir]);
    await writeFile(join(dir, 'new.txt'), 'change\n');
    await git(dir, ['add', 'new.txt']);
    await git(dir, [
      '-c',
      'user.name=T',
      '-c',
      'user.email=t@example.com',
      'commit',
      '--quiet',
      '-m',
      'change',
    ]);
    const header = `http.extraHeader=Authorization: Basic ${Buffer.from(`x-access-token:${READ}`).toString('base64')}`;
    const before = (await github.state.repo('octo', 'demo')?.git.ref('refs/heads/main'))?.sha;
    await expect(
      git(dir, ['-c', header, 'push', '--quiet', 'origin', 'HEAD:refs/heads/main']),
    ).rejects.toThrow(/403/);
    expect((await github.state.repo('octo', 'demo')?.git.ref('refs/heads/main'))?.sha).toBe(before);
  });
});
