import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppHarness, demoConfig, type Issue, startAppHarness, TODAY, USERS } from './app-harness.ts';

let h: AppHarness;
beforeAll(async () => {
  h = await startAppHarness();
});
afterAll(async () => {
  await h.close();
});

interface CommandCase {
  phrase: string;
  given: string;
  /** Sets the issue up; returns the session the command acts on and the phrase to say. */
  arrange(issue: Issue, n: number): Promise<{ session: string; phrase: string }>;
  /** The run an accepted command dispatches, or null when it dispatches nothing (cancel). */
  dispatches: { phase: string; attempt: string } | null;
  /** The session state an accepted command leaves in the marker. */
  after: string;
}

const COMMANDS: CommandCase[] = [
  {
    phrase: "I'm going to start phase 7.n",
    given: 'an issue without a session',
    arrange: async (_issue, n) => ({
      session: `phase-7.${n}-${TODAY}`,
      phrase: `I'm going to start phase 7.${n}`,
    }),
    dispatches: { phase: 'alignment', attempt: '1' },
    after: 'running',
  },
  {
    phrase: 'proceed to implementation',
    given: 'a session awaiting:implementation',
    arrange: async (issue) => ({
      session: (await h.seedSession(issue, await h.awaiting('implementation'))).session,
      phrase: 'proceed to implementation',
    }),
    dispatches: { phase: 'implementation', attempt: '1' },
    after: 'running',
  },
  {
    phrase: 'retry alignment',
    given: 'a session whose alignment failed',
    arrange: async (issue) => ({
      session: (
        await h.seedSession(issue, {
          kind: 'failed',
          phase: 'alignment',
          attempt: 1,
          error: 'model overloaded',
        })
      ).session,
      phrase: 'retry alignment',
    }),
    dispatches: { phase: 'alignment', attempt: '2' },
    after: 'running',
  },
  {
    phrase: 'rollback alignment',
    given: 'a session awaiting:implementation',
    arrange: async (issue) => ({
      session: (await h.seedSession(issue, await h.awaiting('implementation'))).session,
      phrase: 'rollback alignment',
    }),
    dispatches: { phase: 'alignment', attempt: '2' },
    after: 'running',
  },
  {
    phrase: 'cancel session',
    given: 'a session awaiting:implementation',
    arrange: async (issue) => ({
      session: (await h.seedSession(issue, await h.awaiting('implementation'))).session,
      phrase: 'cancel session',
    }),
    dispatches: null,
    after: 'cancelled',
  },
];

const ACCEPTED: [who: string, login: string][] = [
  ['an admin', USERS.admin],
  ['a maintainer', USERS.maintain],
  ['a writer', USERS.write],
  ['a configured approver with read access', USERS.approver],
];

const REFUSED: [who: string, login: string][] = [
  ['a triager', USERS.triage],
  ['a reader', USERS.read],
  ['someone without access', USERS.none],
];

let counter = 0;

describe(`Given the config lists ${USERS.approver} in approvers`, () => {
  beforeAll(async () => {
    await h.setConfig(await demoConfig(`approvers: [${USERS.approver}]`));
  });

  describe.each(COMMANDS)('and $given, when someone says "$phrase"', (command) => {
    it.each(ACCEPTED)('then %s (%s) is obeyed: a rocket, the run and the new state', async (_who, login) => {
      counter += 1;
      const issue = h.openIssue();
      const { session, phrase } = await command.arrange(issue, counter);

      const { commentId } = await h.say(issue, login, phrase);

      const runs = h.runsOn(issue.number);
      if (command.dispatches) {
        expect(runs).toHaveLength(1);
        // The dispatch names the comment; the job reads the command and its author from GitHub.
        expect(runs[0]?.inputs).toMatchObject({
          ...command.dispatches,
          session,
          'comment-id': String(commentId),
        });
        expect(runs[0]?.inputs).not.toHaveProperty('requested-by');
      } else {
        expect(runs).toEqual([]);
      }
      expect(h.sticky(issue.number)).toMatchObject({ session, state: { kind: command.after } });
      expect(h.reactions(commentId)).toEqual(['rocket']);
      expect(h.replies(issue.number)).toEqual([]);
    });

    it.each(REFUSED)(
      'then %s (%s) gets a reply naming them and why, and nothing runs',
      async (_who, login) => {
        counter += 1;
        const issue = h.openIssue();
        const { phrase } = await command.arrange(issue, counter);
        const before = h.sticky(issue.number);

        const { commentId } = await h.say(issue, login, phrase);

        expect(h.runsOn(issue.number)).toEqual([]);
        expect(h.replies(issue.number)).toEqual([
          `@${login} may not say \`${phrase}\`: commands need write access to this repository or a listing in ` +
            '`approvers` of the ipo config',
        ]);
        expect(h.sticky(issue.number)).toEqual(before);
        expect(h.reactions(commentId)).toEqual([]);
      },
    );

    it(`then a bot (${USERS.bot}, even with write access) gets no reply and nothing runs`, async () => {
      counter += 1;
      const issue = h.openIssue();
      const { phrase } = await command.arrange(issue, counter);
      const before = h.sticky(issue.number);

      const { commentId } = await h.say(issue, USERS.bot, phrase);

      expect(h.runsOn(issue.number)).toEqual([]);
      expect(h.replies(issue.number)).toEqual([]);
      expect(h.sticky(issue.number)).toEqual(before);
      expect(h.reactions(commentId)).toEqual([]);
    });
  });
});

describe('Given requireDistinctApprover: true and a session ada started, awaiting:implementation', () => {
  beforeAll(async () => {
    await h.setConfig(await demoConfig('requireDistinctApprover: true'));
  });

  it('when ada herself says "proceed to implementation", then she is refused and nothing runs', async () => {
    const issue = h.openIssue();
    const { session } = await h.seedSession(issue, await h.awaiting('implementation'), {
      startedBy: USERS.admin,
    });

    await h.say(issue, USERS.admin, 'proceed to implementation');

    expect(h.runsOf(session)).toEqual([]);
    expect(h.replies(issue.number)).toEqual([
      expect.stringMatching(/@ada started session .*requireDistinctApprover/),
    ]);
    expect(h.sticky(issue.number)?.state.kind).toBe('awaiting');
  });

  it('when another writer says "proceed to implementation", then implementation is dispatched', async () => {
    const issue = h.openIssue();
    const { session } = await h.seedSession(issue, await h.awaiting('implementation'), {
      startedBy: USERS.admin,
    });

    await h.say(issue, USERS.write, 'proceed to implementation');

    expect(h.runsOf(session).map((r) => r.inputs.phase)).toEqual(['implementation']);
    expect(h.replies(issue.number)).toEqual([]);
  });
});

describe('Given requireDistinctApprover: false and a session ada started, awaiting:implementation', () => {
  beforeAll(async () => {
    await h.setConfig(await demoConfig('requireDistinctApprover: false'));
  });

  it('when ada herself says "proceed to implementation", then implementation is dispatched', async () => {
    const issue = h.openIssue();
    const { session } = await h.seedSession(issue, await h.awaiting('implementation'), {
      startedBy: USERS.admin,
    });

    await h.say(issue, USERS.admin, 'proceed to implementation');

    expect(h.runsOf(session).map((r) => r.inputs.phase)).toEqual(['implementation']);
    expect(h.sticky(issue.number)?.state).toEqual({ kind: 'running', phase: 'implementation', attempt: 1 });
  });
});
