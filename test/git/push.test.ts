import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitError, git } from '../../src/git/git.ts';
import { pushBranch } from '../../src/git/push.ts';
import { type LocalGitHub, startLocalGitHub } from '../support/github/local-github.ts';
import { localOctokit } from '../support/github/local-octokit.ts';

const TOKEN = 'ghs_push_token_0123456789abcdef';
const WRONG = 'ghs_wrong_token_fedcba9876543210';
const repo = { owner: 'octo', repo: 'demo' };
const basic = (token: string) => Buffer.from(`x-access-token:${token}`).toString('base64');

describe('pushBranch', () => {
  let github: LocalGitHub;
  let octokit: Octokit;
  let work: string;
  let clones = 0;

  beforeAll(async () => {
    github = await startLocalGitHub({ ...repo, tokens: [TOKEN] });
    octokit = localOctokit(github, TOKEN);
    work = await mkdtemp(join(tmpdir(), 'ipo-push-test-'));
  });

  afterAll(async () => {
    await github.close();
    await rm(work, { recursive: true, force: true });
  });

  async function clone(): Promise<string> {
    clones += 1;
    const dir = join(work, `clone-${clones}`);
    await git(work, ['clone', '--quiet', github.gitUrl(), dir]);
    await git(dir, ['config', 'user.name', 'Test Person']);
    await git(dir, ['config', 'user.email', 'test@example.com']);
    return dir;
  }

  async function commit(dir: string, file: string, args: string[] = []): Promise<string> {
    await writeFile(join(dir, file), `${file}\n`);
    await git(dir, ['add', file]);
    await git(dir, ['commit', '--quiet', ...args, '-m', `change ${file}`]);
    return (await git(dir, ['rev-parse', 'HEAD'])).trim();
  }

  const remoteSha = async (branch: string) =>
    (await octokit.rest.git.getRef({ ...repo, ref: `heads/${branch}` })).data.object.sha;

  it('pushes HEAD to the branch over HTTP and returns the sha the API then reports', async () => {
    const dir = await clone();
    const sha = await commit(dir, 'a.txt');

    const pushed = await pushBranch({
      cwd: dir,
      remoteUrl: github.gitUrl(),
      token: TOKEN,
      session: 'phase-1.1-20260101',
    });

    expect(pushed).toBe(sha);
    expect(await remoteSha('ipo/phase-1.1-20260101')).toBe(sha);
  });

  it('uses its own token even where actions/checkout left a persisted Authorization header', async () => {
    const dir = await clone();
    const origin = new URL(github.gitUrl()).origin;
    await git(dir, ['config', `http.${origin}/.extraheader`, `AUTHORIZATION: basic ${basic(WRONG)}`]);
    const sha = await commit(dir, 'b.txt');

    await pushBranch({
      cwd: dir,
      remoteUrl: github.gitUrl(),
      token: TOKEN,
      ref: 'HEAD',
      session: 'phase-1.2-20260101',
    });

    expect(await remoteSha('ipo/phase-1.2-20260101')).toBe(sha);
  });

  it('replaces the branch with force while the lease holds, and refuses once the expected sha is stale', async () => {
    const dir = await clone();
    const first = await commit(dir, 'c.txt');
    await pushBranch({ cwd: dir, remoteUrl: github.gitUrl(), token: TOKEN, session: 'phase-1.3-20260101' });
    const amended = await commit(dir, 'c2.txt', ['--amend']);

    await pushBranch({
      cwd: dir,
      remoteUrl: github.gitUrl(),
      token: TOKEN,
      session: 'phase-1.3-20260101',
      force: { expectedSha: first },
    });
    expect(await remoteSha('ipo/phase-1.3-20260101')).toBe(amended);

    await git(dir, ['reset', '--quiet', '--hard', first]);
    const stale = pushBranch({
      cwd: dir,
      remoteUrl: github.gitUrl(),
      token: TOKEN,
      session: 'phase-1.3-20260101',
      force: { expectedSha: first },
    });
    await expect(stale).rejects.toBeInstanceOf(GitError);
    await expect(stale).rejects.toThrow(/stale info/);
    expect(await remoteSha('ipo/phase-1.3-20260101')).toBe(amended);
  });

  it('refuses a non-fast-forward push without force', async () => {
    const dir = await clone();
    await commit(dir, 'd.txt');
    await pushBranch({ cwd: dir, remoteUrl: github.gitUrl(), token: TOKEN, session: 'phase-1.4-20260101' });
    const before = await remoteSha('ipo/phase-1.4-20260101');
    await commit(dir, 'd2.txt', ['--amend']);

    await expect(
      pushBranch({ cwd: dir, remoteUrl: github.gitUrl(), token: TOKEN, session: 'phase-1.4-20260101' }),
    ).rejects.toThrow(/rejected/);
    expect(await remoteSha('ipo/phase-1.4-20260101')).toBe(before);
  });

  it('fails with a bad token and keeps the token and its header out of the error', async () => {
    const dir = await clone();
    await commit(dir, 'e.txt');

    const error = await pushBranch({
      cwd: dir,
      remoteUrl: github.gitUrl(),
      token: WRONG,
      session: 'phase-1.5-20260101',
    }).then(
      () => null,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(GitError);
    const gitError = error as GitError;
    const everything = [gitError.message, gitError.stderr, ...gitError.args, String(gitError.stack)].join(
      '\n',
    );
    expect(everything).not.toContain(WRONG);
    expect(everything).not.toContain(basic(WRONG));
    // The header travels in git's environment, not its argv: the error's command line has none to redact.
    expect(gitError.args.join(' ')).not.toContain('AUTHORIZATION');
    expect(gitError.message).toMatch(/Authentication failed|401|could not read Username/);
    await expect(remoteSha('ipo/phase-1.5-20260101')).rejects.toMatchObject({ status: 404 });
  });

  it.each([
    [
      'credentials in the URL',
      () => github.gitUrl().replace('http://', `http://x-access-token:${TOKEN}@`),
      /must not carry credentials/,
    ],
    ['a non-HTTP URL', () => 'ssh://git@127.0.0.1/octo/demo.git', /must be http\(s\)/],
    ['an option-like URL', () => '--receive-pack=touch /tmp/pwned', /not a URL/],
  ])('refuses %s before running git', async (_case, url, message) => {
    const error = await pushBranch({
      cwd: work,
      remoteUrl: url(),
      token: TOKEN,
      session: 'phase-1.1-20260101',
    }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(TOKEN);
  });

  it('refuses an empty token', async () => {
    await expect(
      pushBranch({ cwd: work, remoteUrl: github.gitUrl(), token: '', session: 'phase-1.1-20260101' }),
    ).rejects.toThrow(/token is empty/);
  });

  it.each([
    ['the default branch', 'main'],
    ['a path out of ipo/', '../main'],
    ['two refspecs in one', 'phase-1.1-20260101:refs/heads/main'],
    ['a tag', 'refs/tags/v1'],
    ['a session id with a trailing refspec', 'phase-1.1-20260101 refs/heads/main'],
  ])('refuses to push %s, even with force, and leaves the remote as it was', async (_case, session) => {
    const dir = await clone();
    await commit(dir, 'f.txt');
    const mainBefore = await remoteSha('main');
    await expect(
      pushBranch({
        cwd: dir,
        remoteUrl: github.gitUrl(),
        token: TOKEN,
        session,
        force: { expectedSha: mainBefore },
      }),
    ).rejects.toThrow(/is not a session id .*ipo pushes only refs\/heads\/ipo\/<session>/);
    expect(await remoteSha('main')).toBe(mainBefore);
  });
});
