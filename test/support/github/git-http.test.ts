import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git } from '../../../src/git/git.ts';
import { type LocalGitHub, startLocalGitHub } from './local-github.ts';
import { localOctokit } from './local-octokit.ts';

const TOKEN = 'ghs_local_git';
const basicAuth = (token: string) =>
  `http.extraHeader=Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;

describe('local GitHub git smart HTTP', () => {
  let github: LocalGitHub;
  let work: string;
  let octokit: Octokit;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'local-github-git-test-'));
    const seed = join(work, 'seed');
    await mkdir(join(seed, 'src'), { recursive: true });
    await writeFile(join(seed, 'src', 'app.ts'), 'export const answer = 42;\n');
    await writeFile(join(seed, '.gitignore'), 'secret.txt\n');
    await writeFile(join(seed, 'secret.txt'), 'not for the repo\n');
    github = await startLocalGitHub({ owner: 'octo', repo: 'demo', tokens: [TOKEN], seed });
    octokit = localOctokit(github, TOKEN);
  });

  afterAll(async () => {
    await github.close();
    await rm(work, { recursive: true, force: true });
  });

  async function cloneInto(name: string): Promise<string> {
    const dir = join(work, name);
    await git(work, ['clone', '--quiet', github.gitUrl(), dir]);
    await git(dir, ['config', 'user.name', 'Test Person']);
    await git(dir, ['config', 'user.email', 'test@example.com']);
    return dir;
  }

  it('clones the seeded main branch without its ignored files', async () => {
    const dir = await cloneInto('clone-seed');
    expect(await readFile(join(dir, 'src', 'app.ts'), 'utf8')).toBe('export const answer = 42;\n');
    await expect(readFile(join(dir, 'secret.txt'), 'utf8')).rejects.toThrow(/ENOENT/);
    expect((await git(dir, ['branch', '--show-current'])).trim()).toBe('main');
  });

  it('accepts a push with an x-access-token basic header and serves the new ref through the API', async () => {
    const dir = await cloneInto('clone-push');
    await writeFile(join(dir, 'feature.txt'), 'feature\n');
    await git(dir, ['add', 'feature.txt']);
    await git(dir, ['commit', '--quiet', '-m', 'feat: add feature']);
    const sha = (await git(dir, ['rev-parse', 'HEAD'])).trim();

    await git(dir, ['-c', basicAuth(TOKEN), 'push', '--quiet', 'origin', 'HEAD:refs/heads/ipo/feature']);

    const { data: ref } = await octokit.rest.git.getRef({
      owner: 'octo',
      repo: 'demo',
      ref: 'heads/ipo/feature',
    });
    expect(ref).toMatchObject({ ref: 'refs/heads/ipo/feature', object: { sha, type: 'commit' } });
    const { data: branch } = await octokit.rest.repos.getBranch({
      owner: 'octo',
      repo: 'demo',
      branch: 'ipo/feature',
    });
    expect(branch.commit.sha).toBe(sha);
    expect(branch.commit.commit.message).toBe('feat: add feature');
    expect(branch.commit.commit.author?.email).toBe('test@example.com');
  });

  it.each([
    ['no Authorization header', [] as string[]],
    ['an unknown token', ['-c', basicAuth('ghs_wrong')]],
  ])('rejects a push with %s and leaves the refs untouched', async (_case, auth) => {
    const dir = await cloneInto(`clone-reject-${auth.length}`);
    await git(dir, ['commit', '--quiet', '--allow-empty', '-m', 'chore: unauthorised']);

    await expect(git(dir, [...auth, 'push', 'origin', 'HEAD:refs/heads/intruder'])).rejects.toThrow(
      /Authentication failed|could not read Username|401/,
    );
    const refs = await git(github.gitDir(), ['for-each-ref', '--format=%(refname)']);
    expect(refs).not.toContain('refs/heads/intruder');
    expect(github.requests.some((r) => r.kind === 'git' && r.status === 401)).toBe(true);
  });

  it('fails a push when a fault is injected on receive-pack', async () => {
    const dir = await cloneInto('clone-fault');
    await git(dir, ['commit', '--quiet', '--allow-empty', '-m', 'chore: doomed']);
    github.failNext({ method: 'POST', path: '/octo/demo.git/git-receive-pack', status: 500 });

    await expect(
      git(dir, ['-c', basicAuth(TOKEN), 'push', 'origin', 'HEAD:refs/heads/doomed']),
    ).rejects.toThrow(/500/);
    expect(github.pendingFaults()).toBe(0);
    await expect(
      octokit.rest.git.getRef({ owner: 'octo', repo: 'demo', ref: 'heads/doomed' }),
    ).rejects.toMatchObject({
      status: 404,
    });
  });
});
