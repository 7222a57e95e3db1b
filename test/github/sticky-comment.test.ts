import type { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StateTrust, sealMarker } from '../../src/github/marker-trust.ts';
import { renderStatusMarker, type StatusMarker } from '../../src/github/status-marker.ts';
import { readIssueStatus, readStatusComment, upsertStatusComment } from '../../src/github/sticky-comment.ts';
import { DIGEST, SESSION, SHA_A, SHA_B } from '../state/fixtures.ts';
import { type LocalGitHub, startLocalGitHub } from '../support/github/local-github.ts';
import { localOctokit } from '../support/github/local-octokit.ts';

const APP_TOKEN = 'ghs_app_installation';
const repo = { owner: 'octo', repo: 'demo' };
const OTHER_SESSION = `${SESSION}-2`;

const TRUST: StateTrust = { author: 'ipo[bot]', repo: 'octo/demo', key: 'k'.repeat(64) };

function marker(session: string, issueNumber: number): StatusMarker {
  return {
    repo: 'octo/demo',
    version: 2,
    session,
    taskId: '2.4',
    branch: `ipo/${session}`,
    state: { kind: 'awaiting', gate: 'verification', approves: { digest: DIGEST, head: SHA_B } },
    ledgerDigest: DIGEST,
    startedBy: 'alice',
    issueNumber,
    baseBranch: 'main',
    attempts: { alignment: 1, implementation: 1, verification: 0, commit: 0 },
    bases: { alignment: SHA_A, implementation: SHA_A },
    digests: { alignment: DIGEST },
  };
}

function statusBody(session: string, issueNumber: number, text: string): string {
  return `${text}\n\n${renderStatusMarker(sealMarker(marker(session, issueNumber), TRUST.key))}`;
}

describe('sticky status comment', () => {
  let github: LocalGitHub;
  let octokit: Octokit;

  beforeAll(async () => {
    github = await startLocalGitHub({ ...repo, tokens: { [APP_TOKEN]: 'ipo[bot]' } });
    octokit = localOctokit(github, APP_TOKEN);
  });

  afterAll(() => github.close());

  const commentsOn = (issueNumber: number) =>
    github.state.comments.filter((c) => c.issueNumber === issueNumber);

  it('creates the comment once, then edits the same comment on the next upsert', async () => {
    const issue = github.createIssue({ title: 'Task 2.4', user: 'alice' });
    const first = await upsertStatusComment(
      octokit,
      repo,
      issue.number,
      statusBody(SESSION, issue.number, 'aligning'),
      { session: SESSION, trust: TRUST },
    );
    const second = await upsertStatusComment(
      octokit,
      repo,
      issue.number,
      statusBody(SESSION, issue.number, 'awaiting verification'),
      { session: SESSION, trust: TRUST },
    );

    expect(first).toMatchObject({
      created: true,
      url: `${github.webUrl}/octo/demo/issues/${issue.number}#issuecomment-${first.id}`,
    });
    expect(second).toEqual({ id: first.id, url: first.url, created: false });
    expect(commentsOn(issue.number)).toHaveLength(1);
    expect(commentsOn(issue.number)[0]).toMatchObject({
      user: 'ipo[bot]',
      body: expect.stringMatching(/^awaiting verification\n/),
    });
  });

  it('does not send an edit when the body is unchanged', async () => {
    const issue = github.createIssue({ title: 'Unchanged' });
    const body = statusBody(SESSION, issue.number, 'same');
    await upsertStatusComment(octokit, repo, issue.number, body, { session: SESSION, trust: TRUST });
    const before = github.requests.length;

    const again = await upsertStatusComment(octokit, repo, issue.number, body, {
      session: SESSION,
      trust: TRUST,
    });

    expect(again.created).toBe(false);
    expect(github.requests.slice(before).map((r) => r.method)).toEqual(['GET']);
  });

  it('takes neither a marker quoted in a code block nor another session’s marker', async () => {
    const issue = github.createIssue({ title: 'Crowded' });
    const quoted = github.createComment(issue.number, {
      user: 'alice',
      body: `Why does it say this?\n\n\`\`\`\n${renderStatusMarker(marker(SESSION, issue.number))}\n\`\`\``,
    });
    const inline = github.createComment(issue.number, {
      user: 'alice',
      body: `\`${renderStatusMarker(marker(SESSION, issue.number))}\``,
    });
    const other = github.createComment(issue.number, {
      user: 'ipo[bot]',
      body: statusBody(OTHER_SESSION, issue.number, 'the other session'),
    });

    const result = await upsertStatusComment(
      octokit,
      repo,
      issue.number,
      statusBody(SESSION, issue.number, 'mine'),
      { session: SESSION, trust: TRUST },
    );

    expect(result.created).toBe(true);
    expect([quoted.id, inline.id, other.id]).not.toContain(result.id);
    const bodies = new Map(commentsOn(issue.number).map((c) => [c.id, c.body]));
    expect(bodies.get(quoted.id)).toBe(quoted.body);
    expect(bodies.get(inline.id)).toBe(inline.body);
    expect(bodies.get(other.id)).toBe(other.body);
  });

  it('edits the bot’s comment, not an earlier one a person pasted a valid marker into', async () => {
    const issue = github.createIssue({ title: 'Pasted' });
    const pasted = github.createComment(issue.number, {
      user: 'mallory',
      body: statusBody(SESSION, issue.number, 'forged'),
    });
    const bots = github.createComment(issue.number, {
      user: 'ipo[bot]',
      body: statusBody(SESSION, issue.number, 'real'),
    });

    const result = await upsertStatusComment(
      octokit,
      repo,
      issue.number,
      statusBody(SESSION, issue.number, 'updated'),
      { session: SESSION, trust: TRUST },
    );

    expect(result).toMatchObject({ id: bots.id, created: false });
    expect(github.state.comments.find((c) => c.id === pasted.id)?.body).toBe(pasted.body);
  });

  it('finds the status comment on the second page of a busy issue', async () => {
    const issue = github.createIssue({ title: 'Busy' });
    for (let i = 1; i <= 105; i += 1)
      github.createComment(issue.number, { user: 'alice', body: `comment ${i}` });
    const sticky = github.createComment(issue.number, {
      user: 'ipo[bot]',
      body: statusBody(SESSION, issue.number, 'late'),
    });
    const before = github.requests.length;

    const result = await upsertStatusComment(
      octokit,
      repo,
      issue.number,
      statusBody(SESSION, issue.number, 'moved'),
      { session: SESSION, trust: TRUST },
    );

    expect(result).toMatchObject({ id: sticky.id, created: false });
    expect(commentsOn(issue.number)).toHaveLength(106);
    const pages = github.requests
      .slice(before)
      .filter((r) => r.method === 'GET')
      .map((r) => r.query.page ?? '1');
    expect(pages).toEqual(['1', '2']);
  });

  it('refuses a body that does not end with the marker of the session, before any request', async () => {
    const before = github.requests.length;
    await expect(
      upsertStatusComment(octokit, repo, 1, statusBody(OTHER_SESSION, 1, 'wrong'), {
        session: SESSION,
        trust: TRUST,
      }),
    ).rejects.toThrow(`status marker of session ${SESSION}`);
    expect(github.requests.length).toBe(before);
  });

  it('lets an API failure through as Octokit’s RequestError', async () => {
    const issue = github.createIssue({ title: 'Failing' });
    github.failNext({ method: 'GET', path: `/repos/octo/demo/issues/${issue.number}/comments`, status: 502 });
    await expect(
      upsertStatusComment(octokit, repo, issue.number, statusBody(SESSION, issue.number, 'x'), {
        session: SESSION,
        trust: TRUST,
      }),
    ).rejects.toMatchObject({ name: 'HttpError', status: 502 });
    expect(github.pendingFaults()).toBe(0);
  });

  describe('readStatusComment', () => {
    it('reads a session’s comment, or the latest session’s, and null when there is none', async () => {
      const issue = github.createIssue({ title: 'Two sessions' });
      expect(await readStatusComment(octokit, repo, issue.number, TRUST)).toBeNull();
      const older = github.createComment(issue.number, {
        user: 'ipo[bot]',
        body: statusBody(SESSION, issue.number, 'first'),
      });
      const newer = github.createComment(issue.number, {
        user: 'ipo[bot]',
        body: statusBody(OTHER_SESSION, issue.number, 'second'),
      });
      github.createComment(issue.number, {
        user: 'mallory',
        body: statusBody('phase-9.9-20250101', issue.number, 'pasted'),
      });

      const bySession = await readStatusComment(octokit, repo, issue.number, TRUST, SESSION);
      const latest = await readStatusComment(octokit, repo, issue.number, TRUST);

      expect(bySession).toMatchObject({ id: older.id, body: older.body, marker: { session: SESSION } });
      expect(latest).toMatchObject({
        id: newer.id,
        marker: { session: OTHER_SESSION, issueNumber: issue.number },
      });
      expect(await readStatusComment(octokit, repo, issue.number, TRUST, '1.1')).toBeNull();
    });
  });

  describe('readIssueStatus: only ipo’s own, sealed, bound markers are state', () => {
    const sealed = (m: StatusMarker, key: string | null = TRUST.key) =>
      `status\n\n${renderStatusMarker(sealMarker(m, key))}`;

    it.each<[string, { user: string; body: (issue: number) => string }]>([
      ['a reader', { user: 'rob', body: (n) => sealed(marker(SESSION, n)) }],
      ['another bot', { user: 'renovate[bot]', body: (n) => sealed(marker(SESSION, n)) }],
      ['another workflow', { user: 'github-actions[bot]', body: (n) => sealed(marker(SESSION, n)) }],
    ])('ignores a valid, sealed marker in a comment by %s', async (_who, planted) => {
      const issue = github.createIssue({ title: 'Planted' });
      github.createComment(issue.number, { user: planted.user, body: planted.body(issue.number) });

      const status = await readIssueStatus(octokit, repo, issue.number, TRUST);

      expect(status).toEqual({ trusted: [], refused: [], latest: null });
    });

    it.each<[string, (issue: number) => string, RegExp]>([
      [
        'edited after ipo sealed it',
        (n) => sealed(marker(SESSION, n)).replace('"gate":"verification"', '"gate":"commit"'),
        /changed after ipo wrote it/,
      ],
      ['unsigned though a key is set', (n) => sealed(marker(SESSION, n), null), /not signed/],
      ['sealed with another key', (n) => sealed(marker(SESSION, n), 'x'.repeat(64)), /changed after ipo/],
      ['copied from another issue', (n) => sealed(marker(SESSION, n + 1000)), /belongs to issue/],
      [
        'copied from another repository',
        (n) => sealed({ ...marker(SESSION, n), repo: 'octo/other' }),
        /another repository/,
      ],
      [
        'naming the default branch',
        (n) => sealed({ ...marker(SESSION, n), branch: 'main' }),
        /names the branch main/,
      ],
      [
        'truncated',
        (n) => sealed(marker(SESSION, n)).slice(0, -40).concat(' -->'),
        /cut short|not valid JSON/,
      ],
    ])('refuses the bot’s own status comment %s, and says why', async (_case, body, reason) => {
      const issue = github.createIssue({ title: 'Tampered' });
      const good = github.createComment(issue.number, {
        user: 'ipo[bot]',
        body: sealed(marker(SESSION, issue.number)),
      });
      const bad = github.createComment(issue.number, { user: 'ipo[bot]', body: body(issue.number) });

      const status = await readIssueStatus(octokit, repo, issue.number, TRUST);

      expect(status.trusted.map((c) => c.id)).toEqual([good.id]);
      expect(status.refused).toEqual([
        expect.objectContaining({ id: bad.id, reason: expect.stringMatching(reason) }),
      ]);
      expect(status.latest).toMatchObject({ kind: 'refused', comment: { id: bad.id } });
    });

    it('without a key reads unsigned markers, still only the bot’s own and bound to the issue', async () => {
      const issue = github.createIssue({ title: 'No key' });
      const unsigned = { ...TRUST, key: null };
      const own = github.createComment(issue.number, {
        user: 'ipo[bot]',
        body: sealed(marker(SESSION, issue.number), null),
      });
      github.createComment(issue.number, {
        user: 'rob',
        body: sealed(marker(OTHER_SESSION, issue.number), null),
      });

      const status = await readIssueStatus(octokit, repo, issue.number, unsigned);

      expect(status.latest).toMatchObject({ kind: 'trusted', comment: { id: own.id } });
      expect(status.trusted).toHaveLength(1);
    });

    it('never edits a person’s comment that holds the session’s marker', async () => {
      const issue = github.createIssue({ title: 'Never edited' });
      const pasted = github.createComment(issue.number, {
        user: 'rob',
        body: statusBody(SESSION, issue.number, 'x'),
      });

      const result = await upsertStatusComment(
        octokit,
        repo,
        issue.number,
        statusBody(SESSION, issue.number, 'y'),
        {
          session: SESSION,
          trust: TRUST,
        },
      );

      expect(result.created).toBe(true);
      expect(github.state.comments.find((c) => c.id === pasted.id)?.body).toBe(pasted.body);
    });
  });
});
