import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIGEST } from '../state/fixtures.ts';
import type { RepoRole } from '../support/github/github-types.ts';
import { type AppHarness, type AppInstance, startAppHarness, TODAY, USERS } from './app-harness.ts';

const WRITERS = Array.from({ length: 50 }, (_, i) => `writer-${String(i + 1).padStart(2, '0')}`);

let h: AppHarness;
let second: AppInstance;
beforeAll(async () => {
  h = await startAppHarness({
    permissions: Object.fromEntries(WRITERS.map((login): [string, RepoRole] => [login, 'write'])),
  });
  second = await h.startInstance();
});
afterAll(async () => {
  await h.close();
});

describe('Given a session awaiting:implementation', () => {
  it('when GitHub delivers the same approval twice (same delivery id), then implementation is dispatched once', async () => {
    const issue = h.openIssue();
    const { session } = await h.seedSession(issue, await h.awaiting('implementation'));
    const payload = h.post(issue, USERS.write, 'proceed to implementation');
    const { id } = await h.deliver(payload);
    const before = h.github.requests.length;

    await h.deliver(payload, { id });

    expect(h.runsOf(session)).toHaveLength(1);
    // The instance remembers the delivery: the redelivery costs no API call at all.
    expect(h.github.requests.slice(before)).toEqual([]);
    expect(h.replies(issue.number)).toEqual([]);
  });

  it('when 50 writers approve at once, then exactly one run is dispatched and one claim ref exists', async () => {
    const issue = h.openIssue();
    const { session } = await h.seedSession(issue, await h.awaiting('implementation'));
    const dispatched: string[] = [];
    const stop = h.github.onDispatch((_run, inputs) => {
      dispatched.push(String(inputs.session));
    });

    await Promise.all(WRITERS.map((login) => h.say(issue, login, 'proceed to implementation')));
    stop();

    expect(dispatched).toEqual([session]);
    expect(h.runsOf(session).map((r) => r.inputs.phase)).toEqual(['implementation']);
    expect(await h.refs(`refs/ipo/claims/${session}/`)).toEqual([`refs/ipo/claims/${session}/v1`]);
    expect(h.sticky(issue.number)?.state).toEqual({ kind: 'running', phase: 'implementation', attempt: 1 });
    // Approvals that came after the winner's status update are told the phase is running; none claims a dispatch.
    for (const reply of h.replies(issue.number)) expect(reply).toContain('implementation is still running');
  });

  it('when two app instances race with different approvals, then exactly one run is dispatched', async () => {
    const issue = h.openIssue();
    const { session } = await h.seedSession(issue, await h.awaiting('implementation'));

    await Promise.all([
      h.say(issue, USERS.write, 'proceed to implementation', { to: h.app }),
      h.say(issue, USERS.maintain, 'proceed to implementation', { to: second }),
      h.say(issue, USERS.admin, 'Proceed to implementation.', { to: second }),
      h.say(issue, USERS.writer2, 'proceed to implementation', { to: h.app }),
    ]);

    expect(h.runsOf(session)).toHaveLength(1);
    expect(await h.refs(`refs/ipo/claims/${session}/`)).toEqual([`refs/ipo/claims/${session}/v1`]);
  });

  it('when the same delivery reaches both instances, then implementation is dispatched once', async () => {
    const issue = h.openIssue();
    const { session } = await h.seedSession(issue, await h.awaiting('implementation'));
    const payload = h.post(issue, USERS.write, 'proceed to implementation');
    const id = 'c0ffee00-0000-4000-8000-000000000002';

    await Promise.all([h.deliver(payload, { id, to: h.app }), h.deliver(payload, { id, to: second })]);

    expect(h.runsOf(session)).toHaveLength(1);
  });
});

describe('Given instance A started a session and then went away', () => {
  it('when the job advanced the marker and instance B gets "proceed to implementation", then B dispatches it', async () => {
    const a = await h.startInstance();
    const issue = h.openIssue('Task 4.2');
    const session = `phase-4.2-${TODAY}`;
    await h.say(issue, USERS.admin, "I'm going to start phase 4.2", { to: a });
    await a.close();
    const started = h.sticky(issue.number);
    const alignmentRun = h.runsOf(session)[0];
    if (!started || !alignmentRun) throw new Error('instance A did not start the session');
    // What the alignment job leaves behind: the gate open at the branch head, its run recorded.
    const head = (await h.refSha(`refs/heads/ipo/${session}`)) ?? '';
    h.advanceMarker(issue.number, {
      ...started,
      state: { kind: 'awaiting', gate: 'implementation', approves: { digest: DIGEST, head } },
      lastRunId: alignmentRun.id,
      digests: { alignment: DIGEST },
    });
    // The run finished (its artifact is uploaded): only then may the next phase import its state.
    h.github.updateRun(alignmentRun.id, { status: 'completed', conclusion: 'success' });
    const b = await h.startInstance();

    const { commentId } = await h.say(issue, USERS.write, 'proceed to implementation', { to: b });

    const runs = h.runsOf(session);
    expect(runs.map((r) => r.inputs.phase)).toEqual(['alignment', 'implementation']);
    expect(runs[1]?.inputs).toMatchObject({
      attempt: '1',
      'previous-run-id': String(alignmentRun.id),
      'approved-sha': head,
      'comment-id': String(commentId),
    });
    expect(h.sticky(issue.number)).toMatchObject({
      state: { kind: 'running', phase: 'implementation', attempt: 1 },
      attempts: { alignment: 1, implementation: 1 },
      bases: { alignment: head, implementation: head },
    });
  });
});

describe('Given two issues that start the same task at the same moment', () => {
  it('when both start comments race, then each issue gets its own session and exactly one dispatch', async () => {
    const first = h.openIssue('median, take one');
    const second = h.openIssue('median, take two');
    await Promise.all([
      h.say(first, USERS.admin, "I'm going to start phase 4.7"),
      h.say(second, USERS.write, "I'm going to start phase 4.7"),
    ]);
    const sessions = [h.sticky(first.number)?.session, h.sticky(second.number)?.session].sort();
    expect(sessions).toEqual([`phase-4.7-${TODAY}`, `phase-4.7-${TODAY}-2`]);
    expect(h.runsOn(first.number)).toHaveLength(1);
    expect(h.runsOn(second.number)).toHaveLength(1);
  });

  it('when the same issue gets two start comments at once, then one session starts and the other is not dispatched', async () => {
    const issue = h.openIssue('double start');
    await Promise.all([
      h.say(issue, USERS.admin, "I'm going to start phase 4.3"),
      h.say(issue, USERS.maintain, "I'm going to start phase 4.3"),
    ]);
    expect(h.runsOn(issue.number)).toHaveLength(1);
    // The loser claimed a session id alongside its start claim; it gives that id back.
    const session = h.sticky(issue.number)?.session;
    expect((await h.refs('refs/ipo/claims/phase-4.3-')).sort()).toEqual([
      `refs/ipo/claims/${session}/alignment-1`,
    ]);
  });
});
