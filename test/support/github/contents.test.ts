import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Octokit } from '@octokit/rest';
import { ProbotOctokit } from 'probot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git } from '../../../src/git/git.ts';
import { commitFiles } from './commit-files.ts';
import { type LocalGitHub, startLocalGitHub } from './local-github.ts';
import { localOctokit } from './local-octokit.ts';

const TOKEN = 'ghs_contents';
const repoParams = { owner: 'octo', repo: 'demo' };
const CONFIG = 'approvers: [alice]\nrequireDistinctApprover: true\n';
const BINARY = Buffer.from([0, 1, 2, 250, 251, 252, 255, 10, 13]);

describe('local GitHub repository contents', () => {
  let github: LocalGitHub;
  let octokit: Octokit;
  let seed: string;

  beforeAll(async () => {
    seed = await mkdtemp(join(tmpdir(), 'local-github-contents-'));
    await mkdir(join(seed, '.github', 'workflows'), { recursive: true });
    await writeFile(join(seed, '.github', 'ipo.yml'), CONFIG);
    await writeFile(join(seed, '.github', 'workflows', 'ci.yml'), 'on: push\n');
    await writeFile(join(seed, 'logo.bin'), BINARY);
    github = await startLocalGitHub({ ...repoParams, tokens: [TOKEN], seed });
    octokit = localOctokit(github, TOKEN);
  });

  afterAll(async () => {
    await github.close();
    await rm(seed, { recursive: true, force: true });
  });

  it('serves a file from the default branch as base64 JSON with the blob sha', async () => {
    const { data } = await octokit.rest.repos.getContent({ ...repoParams, path: '.github/ipo.yml' });
    const blob = (await git(github.gitDir(), ['rev-parse', 'main:.github/ipo.yml'])).trim();
    expect(data).toMatchObject({
      type: 'file',
      encoding: 'base64',
      name: 'ipo.yml',
      path: '.github/ipo.yml',
      sha: blob,
      size: CONFIG.length,
      url: `${github.apiUrl}/repos/octo/demo/contents/.github/ipo.yml?ref=main`,
      git_url: `${github.apiUrl}/repos/octo/demo/git/blobs/${blob}`,
    });
    expect(Buffer.from((data as { content: string }).content, 'base64').toString('utf8')).toBe(CONFIG);
  });

  it('serves the raw bytes for the raw media type, and at the download URL without credentials', async () => {
    const raw = await octokit.rest.repos.getContent({
      ...repoParams,
      path: '.github/ipo.yml',
      mediaType: { format: 'raw' },
    });
    expect(raw.data).toBe(CONFIG);
    expect(raw.headers['content-type']).toBe('text/plain; charset=utf-8');

    const { data } = await octokit.rest.repos.getContent({ ...repoParams, path: 'logo.bin' });
    const file = data as { content: string; download_url: string };
    expect(Buffer.from(file.content, 'base64')).toEqual(BINARY);
    const download = await fetch(file.download_url);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(BINARY);
  });

  it('reads another branch, tag or commit with ?ref=, and 404s a path or ref that is not there', async () => {
    const sha = await commitFiles(github.gitDir(), 'ipo/session', {
      '.github/ipo.yml': 'approvers: [mallory]\n',
    });
    await git(github.gitDir(), ['tag', 'v1', sha]);
    for (const ref of ['ipo/session', 'v1', sha, 'refs/heads/ipo/session']) {
      const { data } = await octokit.rest.repos.getContent({ ...repoParams, path: '.github/ipo.yml', ref });
      expect(Buffer.from((data as { content: string }).content, 'base64').toString()).toBe(
        'approvers: [mallory]\n',
      );
    }
    const main = await octokit.rest.repos.getContent({ ...repoParams, path: '.github/ipo.yml' });
    expect(Buffer.from((main.data as { content: string }).content, 'base64').toString()).toBe(CONFIG);

    await expect(octokit.rest.repos.getContent({ ...repoParams, path: 'nope.txt' })).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      octokit.rest.repos.getContent({ ...repoParams, path: '.github/ipo.yml', ref: 'no-such-branch' }),
    ).rejects.toMatchObject({
      status: 404,
      response: { data: { message: 'No commit found for the ref no-such-branch' } },
    });
  });

  it('lists a directory, and the root', async () => {
    const { data } = await octokit.rest.repos.getContent({ ...repoParams, path: '.github' });
    expect(data).toEqual([
      expect.objectContaining({ type: 'file', name: 'ipo.yml', path: '.github/ipo.yml' }),
      expect.objectContaining({
        type: 'dir',
        name: 'workflows',
        path: '.github/workflows',
        download_url: null,
      }),
    ]);
    const root = await octokit.rest.repos.getContent({ ...repoParams, path: '' });
    expect((root.data as Array<{ name: string }>).map((e) => e.name)).toEqual(['.github', 'logo.bin']);
  });

  it("feeds @probot/octokit-plugin-config: the repo's file, and nothing from a missing org .github repo", async () => {
    const probotOctokit = new ProbotOctokit({ auth: { token: TOKEN }, baseUrl: github.apiUrl });
    const found = await probotOctokit.config.get({ ...repoParams, path: '.github/ipo.yml' });
    expect(found.config).toEqual({ approvers: ['alice'], requireDistinctApprover: true });

    const before = github.requests.length;
    const missing = await probotOctokit.config.get({ ...repoParams, path: '.github/absent.yml' });
    expect(missing.config).toEqual({});
    // The plugin's `{path}` (not `{+path}`) encodes the slash; the route decodes it.
    expect(github.requests.slice(before).map((r) => [r.path, r.status])).toEqual([
      ['/repos/octo/demo/contents/.github%2Fabsent.yml', 404],
      ['/repos/octo/.github/contents/.github%2Fabsent.yml', 404],
    ]);
  });
});
