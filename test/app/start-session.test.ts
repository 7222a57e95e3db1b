import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppHarness, startAppHarness, TODAY, USERS } from './app-harness.ts';

describe('Given an issue without a session', () => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await startAppHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  describe('when an admin says "I\'m going to start phase 1.3"', () => {
    const session = `phase-1.3-${TODAY}`;
    let issueNumber = 0;
    let commentId = 0;
    let main: string | undefined;

    beforeAll(async () => {
      const issue = h.openIssue('Task 1.3');
      issueNumber = issue.number;
      main = await h.refSha('refs/heads/main');
      ({ commentId } = await h.say(issue, USERS.admin, "I'm going to start phase 1.3"));
    });

    it(`then the session branch ipo/${session} is cut at main's head`, async () => {
      expect(main).toMatch(/^[0-9a-f]{40}$/);
      expect(await h.refSha(`refs/heads/ipo/${session}`)).toBe(main);
    });

    it('then the start on this issue, the session id and the start comment are claimed, once each', async () => {
      expect((await h.refs('refs/ipo/claims/')).sort()).toEqual(
        [
          `refs/ipo/claims/issues/${issueNumber}/start-after-none`,
          `refs/ipo/claims/${session}/alignment-1`,
          `refs/ipo/claims/comments/${commentId}`,
        ].sort(),
      );
    });

    it("then the default branch's ipo.yml workflow is dispatched once on main with the session's inputs", () => {
      const runs = h.github.actions.runs;
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({
        path: '.github/workflows/ipo.yml',
        headBranch: 'main',
        headSha: main,
        actor: h.bot,
        displayTitle: `ipo ${session} alignment #1 (issue ${issueNumber})`,
      });
      expect(runs[0]?.inputs).toEqual({
        session,
        phase: 'alignment',
        attempt: '1',
        'previous-run-id': '',
        'issue-number': String(issueNumber),
        'approved-sha': main,
        'comment-id': String(commentId),
      });
    });

    it('then one status comment by the app holds the marker: running alignment attempt 1', () => {
      expect(h.sticky(issueNumber)).toMatchObject({
        session,
        taskId: '1.3',
        branch: `ipo/${session}`,
        state: { kind: 'running', phase: 'alignment', attempt: 1 },
        startedBy: USERS.admin,
        issueNumber,
        baseBranch: 'main',
        attempts: { alignment: 1, implementation: 0, verification: 0, commit: 0 },
        bases: { alignment: main },
        digests: {},
      });
      const status = h.comments(issueNumber).filter((c) => c.user === h.bot);
      expect(status).toHaveLength(1);
      expect(status[0]?.body).toContain(`### ⏳ ipo \`${session}\` · \`aligning\``);
    });

    it('then the command gets a rocket reaction and no reply', () => {
      expect(h.reactions(commentId)).toEqual(['rocket']);
      expect(h.replies(issueNumber)).toEqual([]);
    });
  });

  it('when the same task is started on another issue the same day, then that session is numbered -2', async () => {
    const issue = h.openIssue('Task 1.3 again');

    await h.say(issue, USERS.write, "I'm going to start implementation of phase 1.3");

    expect(h.sticky(issue.number)?.session).toBe(`phase-1.3-${TODAY}-2`);
    expect(h.runsOf(`phase-1.3-${TODAY}-2`).map((r) => r.inputs.phase)).toEqual(['alignment']);
  });

  it('when someone says "ipo status", then the reply says there is no session yet', async () => {
    const issue = h.openIssue();

    await h.say(issue, USERS.read, 'ipo status');

    expect(h.replies(issue.number)).toEqual([expect.stringMatching(/^@rob there is no session yet/)]);
    expect(h.github.actions.runs.filter((r) => r.inputs['issue-number'] === String(issue.number))).toEqual(
      [],
    );
  });
});
