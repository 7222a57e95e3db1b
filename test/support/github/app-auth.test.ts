import { generateKeyPairSync, sign } from 'node:crypto';
import { Probot } from 'probot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalApp, type LocalGitHub, startLocalGitHub } from './local-github.ts';
import { localOctokit } from './local-octokit.ts';

const repoParams = { owner: 'octo', repo: 'demo' };
const APP_ID = 31337;

/** A JWT signed by hand, so a test can get each claim wrong on purpose. */
function jwt(privateKey: string, claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), privateKey).toString('base64url')}`;
}

const probotFor = (github: LocalGitHub, app: LocalApp) =>
  new Probot({ appId: app.id, privateKey: app.privateKey, baseUrl: github.apiUrl, logLevel: 'fatal' });

describe('local GitHub: GitHub App authentication', () => {
  let github: LocalGitHub;
  let app: LocalApp;

  beforeAll(async () => {
    github = await startLocalGitHub({ ...repoParams, tokens: [], app: { id: APP_ID } });
    if (!github.app) throw new Error('the app was not registered');
    app = github.app;
  });

  afterAll(() => github.close());

  it('generates a PKCS#8 key and describes the app at GET /app for its JWT', async () => {
    expect(app.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const octokit = await probotFor(github, app).auth();
    const { data } = await octokit.rest.apps.getAuthenticated();
    expect(data).toMatchObject({ id: APP_ID, slug: 'ipo-app', owner: { login: 'octo' } });
  });

  it('finds the installation of a repository and mints a token that acts as the app bot', async () => {
    const appOctokit = await probotFor(github, app).auth();
    const { data: installation } = await appOctokit.rest.apps.getRepoInstallation(repoParams);
    expect(installation).toMatchObject({ id: app.installationId, app_id: APP_ID, app_slug: 'ipo-app' });

    const octokit = await probotFor(github, app).auth(installation.id);
    const issue = github.createIssue({ title: 'Bot comments here' });
    const { data: comment } = await octokit.rest.issues.createComment({
      ...repoParams,
      issue_number: issue.number,
      body: 'hello from the app',
    });
    expect(comment.user).toMatchObject({ login: 'ipo-app[bot]', type: 'Bot' });

    const minted = github.requests.find(
      (r) => r.path === `/app/installations/${app.installationId}/access_tokens`,
    );
    expect(minted).toMatchObject({ method: 'POST', status: 201, hasAuthorization: true });
  });

  it('answers an access-token request in the shape @octokit/auth-app reads', async () => {
    const token = jwt(app.privateKey, { iat: now() - 30, exp: now() + 540, iss: APP_ID });
    const response = await fetch(`${github.apiUrl}/app/installations/${app.installationId}/access_tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ permissions: { issues: 'write', contents: 'read' } }),
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { token: string; expires_at: string };
    expect(body).toEqual({
      token: expect.stringMatching(/^ghs_[A-Za-z0-9]{36}$/),
      expires_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      permissions: { issues: 'write', contents: 'read' },
      repository_selection: 'all',
    });
    const { data } = await localOctokit(github, body.token).rest.repos.get(repoParams);
    expect(data.full_name).toBe('octo/demo');
  });

  it('refuses permissions beyond what the installation was granted', async () => {
    const token = jwt(app.privateKey, { iat: now() - 30, exp: now() + 540, iss: APP_ID });
    const response = await fetch(`${github.apiUrl}/app/installations/${app.installationId}/access_tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ permissions: { administration: 'write' } }),
    });
    expect(response.status).toBe(422);
  });

  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  }) as string;
  it.each([
    [
      'signed by another key',
      () => jwt(otherKey, { iat: now() - 30, exp: now() + 540, iss: APP_ID }),
      'A JSON web token could not be decoded',
    ],
    [
      'expired',
      () => jwt(app.privateKey, { iat: now() - 700, exp: now() - 100, iss: APP_ID }),
      "'Expiration time' claim ('exp') must be a numeric value",
    ],
    [
      'valid for more than 10 minutes',
      () => jwt(app.privateKey, { iat: now() - 30, exp: now() + 900, iss: APP_ID }),
      "'Expiration time' claim ('exp') is too far in the future",
    ],
    [
      'issued in the future',
      () => jwt(app.privateKey, { iat: now() + 300, exp: now() + 600, iss: APP_ID }),
      "'Issued at' claim ('iat')",
    ],
    [
      'issued by another app',
      () => jwt(app.privateKey, { iat: now() - 30, exp: now() + 540, iss: 1 }),
      'Integration not found',
    ],
  ])('answers 401 to a JWT %s', async (_case, token, message) => {
    const response = await fetch(`${github.apiUrl}/app`, { headers: { authorization: `Bearer ${token()}` } });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { message: string }).message).toContain(message);
  });

  it('takes no installation token on /app and no JWT on repository endpoints', async () => {
    const appJwt = jwt(app.privateKey, { iat: now() - 30, exp: now() + 540, iss: APP_ID });
    const minted = await fetch(`${github.apiUrl}/app/installations/${app.installationId}/access_tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${appJwt}` },
    });
    const { token } = (await minted.json()) as { token: string };

    const onRepo = await fetch(`${github.apiUrl}/repos/octo/demo`, {
      headers: { authorization: `Bearer ${appJwt}` },
    });
    expect(onRepo.status).toBe(401);
    expect(((await onRepo.json()) as { message: string }).message).toContain('use an installation token');
    const onApp = await fetch(`${github.apiUrl}/app`, { headers: { authorization: `token ${token}` } });
    expect(onApp.status).toBe(401);
    expect(((await onApp.json()) as { message: string }).message).toBe(
      'A JSON web token could not be decoded',
    );
  });
});

describe('local GitHub: an app with a given PKCS#1 key and slug', () => {
  it('accepts JWTs signed with that key and names the bot after the slug', async () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs1',
      format: 'pem',
    }) as string;
    const github = await startLocalGitHub({
      ...repoParams,
      tokens: [],
      app: { id: 7, privateKeyPem: pem, slug: 'my-ipo', installationId: 99 },
    });
    try {
      expect(github.app).toMatchObject({ privateKey: pem, botLogin: 'my-ipo[bot]', installationId: 99 });
      const octokit = await new Probot({
        appId: 7,
        privateKey: pem,
        baseUrl: github.apiUrl,
        logLevel: 'fatal',
      }).auth(99);
      const issue = github.createIssue({ title: 'x' });
      const { data } = await octokit.rest.issues.createComment({
        ...repoParams,
        issue_number: issue.number,
        body: 'y',
      });
      expect(data.user?.login).toBe('my-ipo[bot]');
    } finally {
      await github.close();
    }
  });
});

function now(): number {
  return Math.floor(Date.now() / 1000);
}
