import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitError, git } from '../../../src/git/git.ts';
import { type LocalGitHub, startLocalGitHub } from './local-github.ts';

const APP = 'ghs_app_token_with_workflows';
const JOB = 'ghs_job_token_without_workflows';

describe('a push of .github/workflows/ from a token without the `workflows` permission', () => {
  let github: LocalGitHub;
  let work: string;
  let dir: string;

  const auth = (token: string) =>
    `http.extraHeader=Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
  const commit = async (file: string, content: string) => {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeFile(join(dir, file), content);
    await git(dir, ['add', file]);
    await git(dir, ['-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '--quiet', '-m', file]);
  };
  const push = (token: string, ref: string) => git(dir, ['-c', auth(token), 'push', 'origin', `HEAD:${ref}`]);
  const head = async (ref: string) => (await github.state.repo('octo', 'demo')?.git.ref(ref))?.sha;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'local-github-workflows-'));
    github = await startLocalGitHub({
      owner: 'octo',
      repo: 'demo',
      tokens: [APP, JOB],
      tokensWithoutWorkflows: [JOB],
    });
    dir = join(work, 'clone');
    await git(work, ['clone', '--quiet', github.gitUrl(), dir]);
  });
  afterAll(async () => {
    await github.close();
    await rm(work, { recursive: true, force: true });
  });

  it("is refused with GitHub's message on git's stderr, naming the file, and no ref moves", async () => {
    await commit('src/a.txt', 'a\n');
    await commit('.github/workflows/ci.yml', 'on: push\n');
    const error = await push(JOB, 'refs/heads/feature').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitError);
    expect((error as GitError).stderr).toContain(
      'refusing to allow a GitHub App to create or update workflow `.github/workflows/ci.yml` without `workflows` permission',
    );
    expect((error as GitError).stderr).toContain('[remote rejected]');
    expect(await head('refs/heads/feature')).toBeUndefined();
    // An update of an existing branch is refused the same way.
    const main = await head('refs/heads/main');
    await expect(push(JOB, 'refs/heads/main')).rejects.toThrow(/without `workflows` permission/);
    expect(await head('refs/heads/main')).toBe(main);
  });

  it('goes through from a token with the permission, and other changes go through from either', async () => {
    await push(APP, 'refs/heads/feature');
    expect(await head('refs/heads/feature')).toBe((await git(dir, ['rev-parse', 'HEAD'])).trim());
    await commit('src/b.txt', 'b\n');
    await push(JOB, 'refs/heads/feature');
    expect(await head('refs/heads/feature')).toBe((await git(dir, ['rev-parse', 'HEAD'])).trim());
  });
});
