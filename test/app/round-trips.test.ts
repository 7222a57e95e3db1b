import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onRestCall, sequentialRounds, type TimedCall } from '../support/fast-octokit.ts';
import { type AppHarness, type Issue, startAppHarness, USERS } from './app-harness.ts';

let h: AppHarness;
beforeAll(async () => {
  h = await startAppHarness();
  // The first delivery also fetches the app's identity and an installation token: warm both up first.
  await h.say(h.openIssue(), USERS.admin, "I'm going to start phase 5.1");
});
afterAll(async () => {
  await h.close();
});

const DISPATCH = /\/actions\/workflows\/[^/]+\/dispatches$/;

/** The app's sequential REST rounds while it handles `body`, up to (not counting) the dispatch itself. */
async function roundsBeforeDispatch(issue: Issue, body: string): Promise<string[][]> {
  const calls: TimedCall[] = [];
  const stop = onRestCall((call) => calls.push(call));
  try {
    await h.say(issue, USERS.write, body);
  } finally {
    stop();
  }
  const dispatch = calls.find((c) => DISPATCH.test(c.url));
  if (!dispatch) throw new Error(`"${body}" dispatched nothing`);
  const before = calls.filter((c) => c.answeredAt <= dispatch.sentAt);
  return sequentialRounds(before).map((round) => round.map((c) => `${c.method} ${c.url}`).sort());
}

// ARCHITECTURE / issue 12: each round is 100–300 ms on GitHub; the new checks had to fit into existing rounds.
describe('sequential REST rounds on the critical path', () => {
  it('a start needs at most 4 rounds before its dispatch', async () => {
    const rounds = await roundsBeforeDispatch(h.openIssue(), "I'm going to start phase 5.2");
    expect(rounds.length, JSON.stringify(rounds, null, 1)).toBeLessThanOrEqual(4);
  });

  it('an approval needs at most 3 rounds before its dispatch, its GitHub checks included', async () => {
    const issue = h.openIssue();
    await h.seedSession(issue, await h.awaiting('implementation'));
    const rounds = await roundsBeforeDispatch(issue, 'proceed to implementation');
    expect(rounds.length, JSON.stringify(rounds, null, 1)).toBeLessThanOrEqual(3);
    expect(rounds.flat().some((call) => call.includes('/branches/'))).toBe(true);
  });
});
