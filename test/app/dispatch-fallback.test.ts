import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppHarness, startAppHarness, TODAY, USERS } from './app-harness.ts';

describe('Given a GitHub that answers dispatches with 204 and no run details (GHES, GitHub before 2025)', () => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await startAppHarness({ dispatchReturnsRunDetails: false });
  });
  afterAll(async () => {
    await h.close();
  });

  it('when an admin starts a session, then the run is dispatched and found by its run-name', async () => {
    const issue = h.openIssue('Task 6.1');
    const session = `phase-6.1-${TODAY}`;
    const before = h.github.requests.length;

    await h.say(issue, USERS.admin, "I'm going to start phase 6.1");

    const runs = h.runsOf(session);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.displayTitle).toBe(`ipo ${session} alignment #1 (issue ${issue.number})`);
    const calls = h.github.requests
      .slice(before)
      .map((r) => `${r.method} ${r.path.split('?')[0]} ${r.status}`);
    expect(calls).toContain('POST /repos/octo/demo/actions/workflows/ipo.yml/dispatches 204');
    expect(calls).toContain('GET /repos/octo/demo/actions/workflows/ipo.yml/runs 200');
    expect(h.sticky(issue.number)?.state).toEqual({ kind: 'running', phase: 'alignment', attempt: 1 });
  });

  it('when an admin then says "cancel session", then the running run is found by its run-name and cancelled', async () => {
    const issue = h.openIssue('Task 6.2');
    const session = `phase-6.2-${TODAY}`;
    await h.say(issue, USERS.admin, "I'm going to start phase 6.2");
    const run = h.runsOf(session)[0];
    if (!run) throw new Error('alignment was not dispatched');

    await h.say(issue, USERS.admin, 'cancel session');

    expect(h.github.actions.run(run.id)).toMatchObject({
      cancelRequested: true,
      status: 'completed',
      conclusion: 'cancelled',
    });
    expect(h.sticky(issue.number)?.state).toEqual({ kind: 'cancelled' });
  });
});
