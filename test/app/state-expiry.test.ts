import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateArtifactName } from '../../src/core/dispatch/run-name.ts';
import { type AppHarness, startAppHarness, USERS } from './app-harness.ts';

const DAY = 24 * 3600 * 1000;
/** The app's fixed clock (app-instance.ts); the local GitHub here keeps the same time. */
const CLOCK = new Date('2025-06-02T09:30:00Z');
const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** A session at the implementation gate whose alignment run uploaded its state `ageDays` ago, kept `keptDays`. */
async function gateWithState(h: AppHarness, ageDays: number, keptDays: number) {
  const issue = h.openIssue();
  const marker = await h.seedSession(issue, await h.awaiting('implementation'));
  const runId = marker.lastRunId ?? 0;
  const name = stateArtifactName({ session: marker.session, phase: 'alignment', attempt: 1 });
  h.github.addArtifact(runId, name, { 'session.json': '{}' });
  const record = h.github.actions.artifacts.find((a) => a.runId === runId && a.name === name);
  if (!record) throw new Error('no artifact');
  const created = CLOCK.getTime() - ageDays * DAY;
  record.createdAt = iso(created);
  record.expiresAt = iso(created + keptDays * DAY);
  return { issue, marker };
}

describe('Given a session waiting at a gate, as its state artifact ages (retention)', () => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await startAppHarness({ githubNow: () => CLOCK });
  });
  afterAll(async () => {
    await h.close();
  });

  it('when someone says "ipo status" with 3 days of 90 left, then the reply warns when the state expires and what to do', async () => {
    const { issue } = await gateWithState(h, 87, 90);
    await h.say(issue, USERS.read, 'ipo status');
    const [reply] = h.replies(issue.number);
    expect(reply).toMatch(/is awaiting:implementation; see the status comment\./);
    expect(reply).toMatch(
      /expires on \d{4}-\d\d-\d\d, in (2|3) days: after that the session cannot continue/,
    );
    expect(reply).toContain('Continue it before then');
  });

  it('when someone says "ipo status" with 30 days of 90 left, then the reply has no warning', async () => {
    const { issue } = await gateWithState(h, 60, 90);
    await h.say(issue, USERS.read, 'ipo status');
    expect(h.replies(issue.number)).toEqual([expect.not.stringContaining('expires on')]);
  });

  it('when a writer approves after the state expired, then the reply says it expired and what to do, and nothing runs', async () => {
    const { issue, marker } = await gateWithState(h, 91, 90);
    await h.say(issue, USERS.write, 'proceed to implementation');
    const [reply] = h.replies(issue.number);
    expect(reply).toMatch(
      /expired on \d{4}-\d\d-\d\d .*cannot continue: say `cancel session` and start it again/,
    );
    expect(h.runsOf(marker.session)).toEqual([]);
  });
});
