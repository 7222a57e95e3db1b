import type { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git } from '../../../src/git/git.ts';
import type { RepoRole } from './github-types.ts';
import { type LocalGitHub, startLocalGitHub } from './local-github.ts';
import { localOctokit } from './local-octokit.ts';

const TOKEN = 'ghs_app';
const repoParams = { owner: 'octo', repo: 'demo' };
const permissions: Record<string, RepoRole> = {
  octo: 'admin',
  mia: 'maintain',
  wes: 'write',
  tia: 'triage',
  rae: 'read',
  nobody: 'none',
};

describe('local GitHub refs, branches and permissions', () => {
  let github: LocalGitHub;
  let octokit: Octokit;
  let mainSha: string;

  beforeAll(async () => {
    github = await startLocalGitHub({ ...repoParams, tokens: [TOKEN], permissions });
    octokit = localOctokit(github, TOKEN);
    mainSha = (await octokit.rest.git.getRef({ ...repoParams, ref: 'heads/main' })).data.object.sha;
  });

  afterAll(() => github.close());

  it('reads heads/main from the bare repository', async () => {
    const onDisk = (await git(github.gitDir(), ['rev-parse', 'refs/heads/main'])).trim();
    expect(mainSha).toBe(onDisk);
    const { data } = await octokit.rest.repos.getBranch({ ...repoParams, branch: 'main' });
    expect(data).toMatchObject({ name: 'main', protected: false, commit: { sha: onDisk } });
  });

  it('creates a ref once and answers the second creation with GitHub\'s 422 "Reference already exists"', async () => {
    const claim = { ...repoParams, ref: 'refs/ipo/claims/phase-1.2-20250101/implementation-1', sha: mainSha };
    const first = await octokit.rest.git.createRef(claim);
    expect(first.status).toBe(201);
    expect(first.data).toMatchObject({ ref: claim.ref, object: { sha: mainSha, type: 'commit' } });

    const second = await octokit.rest.git.createRef(claim).catch((e: unknown) => e);
    expect(second).toMatchObject({ name: 'HttpError', status: 422 });
    expect((second as { response: { data: unknown } }).response.data).toEqual({
      message: 'Reference already exists',
      documentation_url: 'https://docs.github.com/rest',
      status: '422',
    });
  });

  it('lets exactly one of several racing creations of the same ref win', async () => {
    const claim = { ...repoParams, ref: 'refs/ipo/claims/race/verification-1', sha: mainSha };
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => octokit.rest.git.createRef(claim)),
    );
    const statuses = results.map((r) =>
      r.status === 'fulfilled' ? r.value.status : (r.reason as { status: number }).status,
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 422)).toHaveLength(5);
  });

  it.each([
    ['an invalid name', { ref: 'main', sha: 'MAIN' }, 'Reference name is invalid'],
    ['an unknown object', { ref: 'refs/heads/ghost', sha: 'f'.repeat(40) }, 'Object does not exist'],
  ])('refuses to create a ref with %s', async (_case, input, message) => {
    const sha = input.sha === 'MAIN' ? mainSha : input.sha;
    await expect(octokit.rest.git.createRef({ ...repoParams, ref: input.ref, sha })).rejects.toMatchObject({
      status: 422,
      response: { data: { message } },
    });
  });

  it('lists refs by string prefix with matching-refs', async () => {
    for (const ref of ['refs/heads/ipo/a', 'refs/heads/ipo-b', 'refs/heads/other']) {
      await octokit.rest.git.createRef({ ...repoParams, ref, sha: mainSha });
    }
    const { data } = await octokit.rest.git.listMatchingRefs({ ...repoParams, ref: 'heads/ipo' });
    expect(data.map((r) => r.ref)).toEqual(['refs/heads/ipo-b', 'refs/heads/ipo/a']);
  });

  it('moves a ref only by fast-forward unless forced, and deletes it', async () => {
    const env = {
      GIT_AUTHOR_NAME: 'T',
      GIT_AUTHOR_EMAIL: 't@e',
      GIT_COMMITTER_NAME: 'T',
      GIT_COMMITTER_EMAIL: 't@e',
    };
    const ahead = (
      await git(github.gitDir(), ['commit-tree', 'main^{tree}', '-p', 'main', '-m', 'ahead'], { env })
    ).trim();
    const ref = { ...repoParams, ref: 'heads/ipo/rollback' };
    await octokit.rest.git.createRef({ ...repoParams, ref: 'refs/heads/ipo/rollback', sha: ahead });

    await expect(octokit.rest.git.updateRef({ ...ref, sha: mainSha })).rejects.toMatchObject({
      status: 422,
      response: { data: { message: 'Update is not a fast forward' } },
    });
    const forced = await octokit.rest.git.updateRef({ ...ref, sha: mainSha, force: true });
    expect(forced.data.object.sha).toBe(mainSha);

    expect((await octokit.rest.git.deleteRef(ref)).status).toBe(204);
    await expect(octokit.rest.git.getRef(ref)).rejects.toMatchObject({ status: 404 });
    await expect(octokit.rest.git.deleteRef(ref)).rejects.toMatchObject({ status: 422 });
  });

  it.each([
    ['octo', 'admin', 'admin', true],
    ['mia', 'write', 'maintain', true],
    ['wes', 'write', 'write', true],
    ['tia', 'read', 'triage', false],
    ['rae', 'read', 'read', false],
    ['nobody', 'none', 'none', false],
  ])('reports %s with permission %s and role %s', async (username, permission, role, push) => {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repoParams, username });
    expect(data).toMatchObject({
      permission,
      role_name: role,
      user: { login: username, permissions: { push } },
    });
  });

  it('answers 404 for a login with no configured permission', async () => {
    await expect(
      octokit.rest.repos.getCollaboratorPermissionLevel({ ...repoParams, username: 'stranger' }),
    ).rejects.toMatchObject({ status: 404, response: { data: { message: 'stranger is not a user' } } });
  });
});
