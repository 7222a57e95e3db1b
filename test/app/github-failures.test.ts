import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppHarness, type Issue, startAppHarness, TODAY, USERS } from './app-harness.ts';

// GitHub failing half-way must lose nothing: a claim left behind would silently swallow every later attempt at the
// same phrase, and a status comment saying "running" with no run would stall the session.
let h: AppHarness;
beforeAll(async () => {
  h = await startAppHarness();
});
afterAll(async () => {
  await h.close();
});

const DISPATCH = /^\/repos\/octo\/demo\/actions\/workflows\/ipo\.yml\/dispatches$/;

async function atImplementationGate() {
  const issue = h.openIssue();
  const marker = await h.seedSession(issue, await h.awaiting('implementation'));
  return { issue, marker, statusBody: statusComment(issue)?.body };
}

function statusComment(issue: Issue) {
  return h.comments(issue.number).find((c) => c.user === h.bot && c.body.includes('<!-- ipo:status'));
}

describe('Given an issue without a session', () => {
  it('when the dispatch of alignment fails with 500, then claims, branch and status comment are put back, the reply says so, and saying it again starts the session', async () => {
    const issue = h.openIssue();
    const session = `phase-4.1-${TODAY}`;
    h.github.failNext({ method: 'POST', path: DISPATCH, status: 500 });

    await h.say(issue, USERS.admin, "I'm going to start phase 4.1");

    expect(h.github.pendingFaults()).toBe(0);
    expect(h.replies(issue.number)).toEqual([
      "@ada ipo could not carry out `I'm going to start phase 4.1`: GitHub answered 500 to POST " +
        '/repos/octo/demo/actions/workflows/ipo.yml/dispatches: local GitHub: injected 500. What it had changed ' +
        'was put back. Comment again to retry.',
    ]);
    expect(await h.refs('refs/ipo/claims/issues/')).not.toContain(
      `refs/ipo/claims/issues/${issue.number}/start-after-none`,
    );
    expect(await h.refs(`refs/ipo/claims/${session}/`)).toEqual([]);
    expect(await h.refSha(`refs/heads/ipo/${session}`)).toBeUndefined();
    expect(statusComment(issue)).toBeUndefined();
    expect(h.runsOf(session)).toEqual([]);

    const { commentId } = await h.say(issue, USERS.admin, "I'm going to start phase 4.1");

    expect(h.runsOf(session).map((r) => r.inputs.phase)).toEqual(['alignment']);
    expect(h.sticky(issue.number)?.session).toBe(session);
    expect(h.reactions(commentId)).toEqual(['rocket']);
  });
});

describe('Given an issue without a session, a start whose claims fail half-way', () => {
  it('when one of the two claims made at once fails with 500, then neither is left and the next start gets the plain id', async () => {
    const issue = h.openIssue();
    const session = `phase-4.2-${TODAY}`;
    h.github.failNext({ method: 'POST', path: '/repos/octo/demo/git/refs', status: 500 });

    await h.say(issue, USERS.admin, "I'm going to start phase 4.2");

    expect(h.github.pendingFaults()).toBe(0);
    expect(h.replies(issue.number)[0]).toContain('GitHub answered 500 to POST /repos/octo/demo/git/refs');
    expect(await h.refs(`refs/ipo/claims/issues/${issue.number}/`)).toEqual([]);
    expect(await h.refs(`refs/ipo/claims/${session}/`)).toEqual([]);

    await h.say(issue, USERS.admin, "I'm going to start phase 4.2");
    expect(h.sticky(issue.number)?.session).toBe(session);
    expect(h.runsOf(session)).toHaveLength(1);
  });
});

describe('Given a session awaiting:implementation', () => {
  it('when one of the claims fails with 502, then the other is given back, the reply names the call, and the approval works when said again', async () => {
    const { issue, marker, statusBody } = await atImplementationGate();
    h.github.failNext({ method: 'POST', path: '/repos/octo/demo/git/refs', status: 502 });

    const { commentId } = await h.say(issue, USERS.write, 'proceed to implementation');

    expect(h.replies(issue.number)).toEqual([
      '@wes ipo could not carry out `proceed to implementation`: GitHub answered 502 to POST ' +
        '/repos/octo/demo/git/refs: local GitHub: injected 502. What it had changed was put back. Comment again to retry.',
    ]);
    expect(h.reactions(commentId)).toEqual([]);
    expect(statusComment(issue)?.body).toBe(statusBody);

    await h.say(issue, USERS.write, 'proceed to implementation');
    expect(h.runsOf(marker.session).map((r) => r.inputs.phase)).toEqual(['implementation']);
  });

  it.each([
    ['one claim', 1],
    ['both claims at once', 2],
  ])(
    'when GitHub answers 422 "Reference update failed" to %s without creating it, then the claim is made again and the approval carried out once',
    async (_case, times) => {
      const { issue, marker } = await atImplementationGate();
      // GitHub's intermittent 422 on a create that did nothing (github/rest-api-description#4887): not "exists".
      h.github.failNext({
        method: 'POST',
        path: '/repos/octo/demo/git/refs',
        status: 422,
        body: { message: 'Reference update failed', documentation_url: 'https://docs.github.com/rest' },
        times,
      });

      const { commentId } = await h.say(issue, USERS.write, 'proceed to implementation');

      expect(h.github.pendingFaults()).toBe(0);
      expect(h.runsOf(marker.session).map((r) => r.inputs.phase)).toEqual(['implementation']);
      expect(h.reactions(commentId)).toEqual(['rocket']);
      expect(h.replies(issue.number)).toEqual([]);
    },
  );

  it('when every create of a claim answers 422 "Reference update failed", then nothing moves and the reply says to say it again', async () => {
    const { issue, marker, statusBody } = await atImplementationGate();
    h.github.failNext({
      method: 'POST',
      path: '/repos/octo/demo/git/refs',
      status: 422,
      body: { message: 'Reference update failed' },
      // Three tries for each of the two claims made at once (the comment's and the version's).
      times: 6,
    });

    await h.say(issue, USERS.write, 'proceed to implementation');

    expect(h.github.pendingFaults()).toBe(0);
    expect(h.runsOf(marker.session)).toEqual([]);
    expect(statusComment(issue)?.body).toBe(statusBody);
    expect(h.replies(issue.number)).toEqual([
      expect.stringMatching(/422: Reference update failed.*say the command again/),
    ]);
  });

  it('when the dispatch fails and no run exists, then the claim is released and the status comment restored', async () => {
    const { issue, marker, statusBody } = await atImplementationGate();
    h.github.failNext({ method: 'POST', path: DISPATCH, status: 503 });

    await h.say(issue, USERS.write, 'proceed to implementation');

    expect(h.replies(issue.number)[0]).toContain('GitHub answered 503 to POST');
    expect(h.replies(issue.number)[0]).toContain('What it had changed was put back.');
    expect(await h.refs(`refs/ipo/claims/${marker.session}/`)).toEqual([]);
    expect(statusComment(issue)?.body).toBe(statusBody);
    expect(h.sticky(issue.number)?.state.kind).toBe('awaiting');

    await h.say(issue, USERS.write, 'proceed to implementation');
    expect(h.runsOf(marker.session)).toHaveLength(1);
  });

  it('when the dispatch is answered 504 after GitHub created the run, then the run is found and kept: no second run', async () => {
    const { issue, marker } = await atImplementationGate();
    h.github.failNext({ method: 'POST', path: DISPATCH, status: 504, afterHandling: true });

    const { commentId } = await h.say(issue, USERS.write, 'proceed to implementation');

    expect(h.github.pendingFaults()).toBe(0);
    expect(h.replies(issue.number)).toEqual([]);
    expect(h.reactions(commentId)).toEqual(['rocket']);
    expect(await h.refs(`refs/ipo/claims/${marker.session}/`)).toEqual([
      `refs/ipo/claims/${marker.session}/v1`,
    ]);
    await h.say(issue, USERS.write, 'proceed to implementation');
    expect(h.runsOf(marker.session)).toHaveLength(1);
  });

  it('when the dispatch fails and putting the claim back fails too, then the reply names the claim that is left', async () => {
    const { issue, marker } = await atImplementationGate();
    h.github.failNext({ method: 'POST', path: DISPATCH, status: 500 });
    h.github.failNext({ method: 'DELETE', path: /^\/repos\/octo\/demo\/git\/refs\//, status: 500 });

    await h.say(issue, USERS.write, 'proceed to implementation');

    expect(h.github.pendingFaults()).toBe(0);
    expect(h.replies(issue.number)[0]).toContain(
      `These could not be put back: the claim refs/ipo/claims/${marker.session}/v1.`,
    );
    expect(await h.refs(`refs/ipo/claims/${marker.session}/`)).toEqual([
      `refs/ipo/claims/${marker.session}/v1`,
    ]);
  });

  it('when reading the status comment fails, then the reply says so; a redelivery of that webhook is handled, not skipped', async () => {
    const { issue, marker } = await atImplementationGate();
    h.github.failNext({
      method: 'GET',
      path: `/repos/octo/demo/issues/${issue.number}/comments`,
      status: 502,
    });
    const payload = h.post(issue, USERS.write, 'proceed to implementation');

    const first = await h.deliver(payload);
    expect(h.replies(issue.number)[0]).toContain(
      `GitHub answered 502 to GET /repos/octo/demo/issues/${issue.number}/comments`,
    );
    expect(h.runsOf(marker.session)).toEqual([]);

    await h.deliver(payload, { id: first.id });
    expect(h.runsOf(marker.session)).toHaveLength(1);
  });

  it('when GitHub cannot take the reply either, then the webhook fails (500) and its redelivery is handled', async () => {
    const { issue, marker } = await atImplementationGate();
    h.github.failNext({ method: 'POST', path: DISPATCH, status: 500 });
    h.github.failNext({
      method: 'POST',
      path: `/repos/octo/demo/issues/${issue.number}/comments`,
      status: 500,
    });
    const payload = h.post(issue, USERS.write, 'proceed to implementation');
    const id = randomUUID();

    await expect(h.deliver(payload, { id })).rejects.toThrow('the app answered 500');
    expect(await h.refs(`refs/ipo/claims/${marker.session}/`)).toEqual([]);

    await h.deliver(payload, { id });
    expect(h.runsOf(marker.session)).toHaveLength(1);
  });
});
