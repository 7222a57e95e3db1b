import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalGitHub, startLocalGitHub } from './local-github.ts';
import { localOctokit } from './local-octokit.ts';

const TOKEN = 'ghs_retention';
const DAY = 24 * 3600 * 1000;

describe('artifact retention: expires_at from the retention, and an expired zip answered 410', () => {
  let github: LocalGitHub;
  let clock = Date.parse('2026-03-01T12:00:00Z');

  beforeAll(async () => {
    github = await startLocalGitHub({
      owner: 'octo',
      repo: 'demo',
      tokens: [TOKEN],
      artifactRetentionDays: 30,
      now: () => new Date(clock),
    });
  });
  afterAll(async () => {
    await github.close();
  });

  it('keeps an upload the shorter of its retention-days and the repository setting, then refuses its zip with 410', async () => {
    const repo = github.state.repo('octo', 'demo');
    const head = await repo?.git.ref('refs/heads/main');
    if (!repo || !head) throw new Error('no repository');
    const run = github.actions.addRun(github.actions.workflow(repo, '.github/workflows/w.yml', 'w'), {
      displayTitle: 'w',
      event: 'workflow_dispatch',
      headBranch: 'main',
      headSha: head.sha,
      headCommit: await repo.git.commit(head.sha),
      actor: 'octo',
      inputs: {},
    });
    const short = github.addArtifact(run.id, 'short', { 'a.txt': 'a' }, { retentionDays: 5 });
    const long = github.addArtifact(run.id, 'long', { 'b.txt': 'b' }, { retentionDays: 90 });
    expect(short.expires_at).toBe('2026-03-06T12:00:00Z');
    expect(long.expires_at).toBe('2026-03-31T12:00:00Z');

    const octokit = localOctokit(github, TOKEN);
    const download = (id: number) =>
      octokit.rest.actions.downloadArtifact({
        owner: 'octo',
        repo: 'demo',
        artifact_id: id,
        archive_format: 'zip',
      });
    await expect(download(short.id)).resolves.toMatchObject({ status: 200 });

    clock += 5 * DAY;
    const { data } = await octokit.rest.actions.listWorkflowRunArtifacts({
      owner: 'octo',
      repo: 'demo',
      run_id: run.id,
    });
    expect(data.artifacts.map((a) => [a.name, a.expired])).toEqual([
      ['short', true],
      ['long', false],
    ]);
    await expect(download(short.id)).rejects.toMatchObject({
      status: 410,
      message: expect.stringContaining('Artifact has expired'),
    });
    await expect(download(long.id)).resolves.toMatchObject({ status: 200 });
  });
});
