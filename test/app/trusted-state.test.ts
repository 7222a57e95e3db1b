import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionStatus } from '../../src/core/session/session-state.ts';
import { sealMarker } from '../../src/github/marker-trust.ts';
import { renderStatusMarker, type StatusMarker } from '../../src/github/status-marker.ts';
import { DIGEST } from '../state/fixtures.ts';
import { commitFiles } from '../support/github/commit-files.ts';
import { type AppHarness, type Issue, startAppHarness, USERS } from './app-harness.ts';
import { seededMarker, statusBody } from './seeded-marker.ts';

let h: AppHarness;
beforeAll(async () => {
  h = await startAppHarness();
});
afterAll(async () => {
  await h.close();
});

let tasks = 0;
/** A marker for a session of a new task on `issue`, in `status`, whose bases all point at `head`. */
function markerFor(issue: Issue, status: SessionStatus, head: string): StatusMarker {
  tasks += 1;
  return seededMarker(`8.${tasks}`, status, { issueNumber: issue.number, head, startedBy: USERS.admin });
}

async function mainHead(): Promise<string> {
  const sha = await h.refSha('refs/heads/main');
  if (!sha) throw new Error('main has no head');
  return sha;
}

describe('Given a reader who pastes a byte-for-byte status comment (marker included)', () => {
  it('when it offers `rollback implementation` with branch main and a maintainer says it, then main stays where it was', async () => {
    const issue = h.openIssue();
    const older = await mainHead();
    const newest = await commitFiles(h.github.gitDir(), 'main', { 'NEWS.md': 'newest work\n' });
    const status: SessionStatus = {
      kind: 'failed',
      phase: 'implementation',
      attempt: 1,
      error: 'tests failed',
    };
    // What a reader can write: any text at all, the real seal included if they copied a real comment.
    const forged = { ...markerFor(issue, status, older), branch: 'main' };
    const planted = h.github.createComment(issue.number, {
      user: USERS.read,
      body: statusBody(forged, h.trust.key),
    });

    const { commentId } = await h.say(issue, USERS.maintain, 'rollback implementation');

    expect(await h.refSha('refs/heads/main')).toBe(newest);
    expect(h.reactions(commentId)).toEqual([]);
    expect(h.replies(issue.number)).toEqual([expect.stringContaining('there is no session yet')]);
    expect(h.comments(issue.number).find((c) => c.id === planted.id)?.body).toBe(planted.body);
    expect(h.github.actions.runs.filter((r) => r.inputs['issue-number'] === String(issue.number))).toEqual(
      [],
    );
  });

  it('when it plants an `awaiting:implementation` marker and a writer approves, then nothing is dispatched and the comment is untouched', async () => {
    const issue = h.openIssue();
    const head = await mainHead();
    const status: SessionStatus = {
      kind: 'awaiting',
      gate: 'implementation',
      approves: { digest: DIGEST, head },
    };
    const forged = markerFor(issue, status, head);
    await h.github.state.repo('octo', 'demo')?.git.createRef(`refs/heads/${forged.branch}`, head);
    const planted = h.github.createComment(issue.number, {
      user: USERS.read,
      body: statusBody(forged, h.trust.key),
    });

    await h.say(issue, USERS.write, 'proceed to implementation');

    expect(h.runsOf(forged.session)).toEqual([]);
    expect(h.comments(issue.number).find((c) => c.id === planted.id)?.body).toBe(planted.body);
    expect(await h.refs(`refs/ipo/claims/${forged.session}/`)).toEqual([]);
  });
});

describe('Given a status marker in another bot’s comment', () => {
  it('when a writer approves, then it is ignored like any other text', async () => {
    const issue = h.openIssue();
    const head = await mainHead();
    const status: SessionStatus = {
      kind: 'awaiting',
      gate: 'implementation',
      approves: { digest: DIGEST, head },
    };
    const forged = markerFor(issue, status, head);
    await h.github.state.repo('octo', 'demo')?.git.createRef(`refs/heads/${forged.branch}`, head);
    h.github.createComment(issue.number, { user: USERS.bot, body: statusBody(forged, h.trust.key) });

    await h.say(issue, USERS.write, 'proceed to implementation');

    expect(h.runsOf(forged.session)).toEqual([]);
    expect(h.replies(issue.number)).toEqual([expect.stringContaining('there is no session yet')]);
  });
});

describe('Given a session whose status comment by ipo a writer edited', () => {
  it.each<[string, (body: string) => string]>([
    ['its branch changed to main', (b) => b.replace(/"branch":"[^"]+"/, '"branch":"main"')],
    ['its gate changed', (b) => b.replace('"gate":"implementation"', '"gate":"commit"')],
    ['its seal removed', (b) => b.replace(/,"sig":"[0-9a-f]{64}"/, '')],
  ])(
    'when %s and a writer approves, then nothing moves and the reply says how to recover',
    async (_edit, edit) => {
      const issue = h.openIssue();
      const marker = await h.seedSession(issue, await h.awaiting('implementation'));
      const comment = h.comments(issue.number).find((c) => c.user === h.bot);
      if (!comment) throw new Error('no status comment');
      comment.body = edit(comment.body);
      const before = await h.refSha(`refs/heads/${marker.branch}`);

      const { commentId } = await h.say(issue, USERS.write, 'proceed to implementation');

      expect(h.runsOf(marker.session)).toEqual([]);
      expect(h.reactions(commentId)).toEqual([]);
      const [reply] = h.replies(issue.number);
      expect(reply).toContain('cannot be trusted');
      expect(reply).toContain('edit history');
      expect(await h.refSha(`refs/heads/${marker.branch}`)).toBe(before);
      expect(await h.refs(`refs/ipo/claims/${marker.session}/`)).toEqual([]);
    },
  );

  it('when an admin restores the sealed text from the edit history, then the session goes on', async () => {
    const issue = h.openIssue();
    const marker = await h.seedSession(issue, await h.awaiting('implementation'));
    const comment = h.comments(issue.number).find((c) => c.user === h.bot);
    if (!comment) throw new Error('no status comment');
    const original = comment.body;
    comment.body = original.replace('"gate":"implementation"', '"gate":"commit"');
    await h.say(issue, USERS.write, 'proceed to implementation');
    comment.body = original;

    await h.say(issue, USERS.write, 'proceed to implementation');

    expect(h.runsOf(marker.session).map((r) => r.inputs.phase)).toEqual(['implementation']);
  });
});

describe('Given a session whose sealed state GitHub contradicts', () => {
  it('when the session branch is protected, then an approval dispatches nothing and frees the session’s claim', async () => {
    const issue = h.openIssue();
    const marker = await h.seedSession(issue, await h.awaiting('implementation'));
    const repo = h.github.state.repo('octo', 'demo');
    if (!repo) throw new Error('no repo');
    repo.protectedBranches = new Set([marker.branch]);
    try {
      await h.say(issue, USERS.write, 'proceed to implementation');
    } finally {
      repo.protectedBranches = undefined;
    }

    expect(h.runsOf(marker.session)).toEqual([]);
    expect(h.replies(issue.number)).toEqual([expect.stringContaining('is protected')]);
    expect(await h.refs(`refs/ipo/claims/${marker.session}/`)).toEqual([]);
  });

  it('when the rollback target is not on the session branch’s history, then the branch is not reset', async () => {
    const issue = h.openIssue();
    const head = await mainHead();
    const elsewhere = await commitFiles(h.github.gitDir(), 'main', {
      'ELSEWHERE.md': 'not on the session\n',
    });
    const status: SessionStatus = { kind: 'failed', phase: 'implementation', attempt: 1, error: 'x' };
    // Even a marker ipo sealed (a bug, a leaked key) cannot point a reset at a commit from elsewhere.
    const marker = {
      ...markerFor(issue, status, head),
      bases: { alignment: head, implementation: elsewhere },
    };
    await h.github.state.repo('octo', 'demo')?.git.createRef(`refs/heads/${marker.branch}`, head);
    h.github.createComment(issue.number, { user: h.bot, body: statusBody(marker, h.trust.key) });

    await h.say(issue, USERS.maintain, 'rollback implementation');

    expect(await h.refSha(`refs/heads/${marker.branch}`)).toBe(head);
    expect(h.replies(issue.number)).toEqual([expect.stringContaining('is not on the history of')]);
  });

  it.each<[string, Record<string, unknown> | (() => Promise<Record<string, unknown>>), RegExp]>([
    ['another workflow', { path: '.github/workflows/ci.yml' }, /not of the configured ipo workflow/],
    ['a pull_request run', { event: 'pull_request' }, /triggered by pull_request, not workflow_dispatch/],
    ['a run on another branch', { headBranch: 'ipo/phase-9.9-20250101' }, /not the default branch main/],
    [
      'a run of another session',
      { displayTitle: 'ipo phase-7.7-20250101 alignment #1 (issue 1)' },
      /is not a run of session/,
    ],
    ['a run still in progress', { status: 'in_progress', conclusion: null }, /is in_progress, not completed/],
    ['a cancelled run, which exported nothing', { conclusion: 'cancelled' }, /ended cancelled/],
    [
      // A writer pushes tag `main` at a commit with a workflow file of their own and dispatches it: GitHub reports
      // `head_branch: main` for it, so only the commit's place on main's history tells the two apart.
      "a run of a tag named like the default branch, at a commit not on main's history",
      async () => ({
        headSha: await commitFiles(h.github.gitDir(), 'tagged', {
          '.github/workflows/ipo.yml': 'on: push\n',
        }),
      }),
      /ran commit [0-9a-f]{7}, which is not on the history of main/,
    ],
  ])(
    'when the previous run named by the marker is %s, then the approval imports nothing',
    async (_case, change, reason) => {
      const issue = h.openIssue();
      const head = await mainHead();
      const status: SessionStatus = {
        kind: 'awaiting',
        gate: 'implementation',
        approves: { digest: DIGEST, head },
      };
      const base = markerFor(issue, status, head);
      const run = h.github.actions.runs.at(-1);
      // A real alignment run of this session, then changed into the case at hand.
      await h.say(h.openIssue(), USERS.admin, `I'm going to start phase ${base.taskId.replace('8.', '7.')}`);
      const created = h.github.actions.runs.at(-1);
      if (!created || created === run) throw new Error('no run was dispatched');
      h.github.updateRun(created.id, { status: 'completed', conclusion: 'success' });
      Object.assign(created, {
        displayTitle: `ipo ${base.session} alignment #1 (issue ${issue.number})`,
        ...(typeof change === 'function' ? await change() : change),
      });
      const marker = sealMarker({ ...base, lastRunId: created.id }, h.trust.key);
      await h.github.state.repo('octo', 'demo')?.git.createRef(`refs/heads/${marker.branch}`, head);
      h.github.createComment(issue.number, { user: h.bot, body: `status\n\n${renderStatusMarker(marker)}` });

      await h.say(issue, USERS.write, 'proceed to implementation');

      expect(h.runsOf(marker.session)).toEqual([]);
      expect(h.replies(issue.number)).toEqual([expect.stringMatching(reason)]);
    },
  );
});

describe('Given a comment that already acted', () => {
  it('when a start is redelivered after the session was cancelled, then no new session starts', async () => {
    const issue = h.openIssue();
    const start = h.post(issue, USERS.admin, "I'm going to start phase 6.1");
    await h.deliver(start);
    await h.say(issue, USERS.admin, 'cancel session');
    expect(h.sticky(issue.number)?.state.kind).toBe('cancelled');

    await h.deliver(start, { id: 'a-later-redelivery' });

    expect(h.runsOn(issue.number).map((r) => r.inputs.phase)).toEqual(['alignment']);
    expect(h.sticky(issue.number)?.state.kind).toBe('cancelled');
  });

  it('when a retry is redelivered after its run failed again, then no second retry runs', async () => {
    const issue = h.openIssue();
    const failed: SessionStatus = { kind: 'failed', phase: 'implementation', attempt: 1, error: 'x' };
    const marker = await h.seedSession(issue, failed);
    const retry = h.post(issue, USERS.write, 'retry implementation');
    await h.deliver(retry);
    const now = h.sticky(issue.number);
    if (!now) throw new Error('no marker');
    h.advanceMarker(issue.number, {
      ...now,
      state: { kind: 'failed', phase: 'implementation', attempt: 2, error: 'again' },
      version: now.version + 1,
    });

    await h.deliver(retry, { id: 'redelivered-after-the-run' });

    expect(h.runsOf(marker.session).map((r) => r.inputs.attempt)).toEqual(['2']);
  });

  it('when an approval is redelivered after a rollback reopened its gate, then it does not run again', async () => {
    const issue = h.openIssue();
    const marker = await h.seedSession(issue, await h.awaiting('implementation'));
    const approval = h.post(issue, USERS.write, 'proceed to implementation');
    await h.deliver(approval);
    const running = h.sticky(issue.number);
    if (!running) throw new Error('no marker');
    // The run failed; a maintainer rolled back, which reopened the gate.
    h.advanceMarker(issue.number, {
      ...running,
      state: { kind: 'failed', phase: 'implementation', attempt: 1, error: 'x' },
      version: running.version + 1,
    });
    await h.say(issue, USERS.maintain, 'rollback implementation');
    expect(h.sticky(issue.number)?.state.kind).toBe('awaiting');

    await h.deliver(approval, { id: 'redelivered-after-rollback' });

    expect(h.runsOf(marker.session)).toHaveLength(1);
    expect(h.sticky(issue.number)?.state.kind).toBe('awaiting');
  });
});

describe('Given `cancel session` racing an approval', () => {
  it('when both are said at once, ten times, then the cancel either wins or is told it lost, never both', async () => {
    for (let trial = 0; trial < 10; trial++) {
      const issue = h.openIssue();
      const marker = await h.seedSession(issue, await h.awaiting('implementation'));
      const approve = h.post(issue, USERS.write, 'proceed to implementation');
      const cancel = h.post(issue, USERS.maintain, 'cancel session');

      await Promise.all([h.deliver(approve), h.deliver(cancel)]);

      const cancelWon = h.reactions(cancel.comment.id).includes('rocket');
      const final = h.sticky(issue.number)?.state.kind;
      if (cancelWon) {
        expect(final).toBe('cancelled');
      } else {
        expect(h.replies(issue.number).some((r) => r.startsWith(`@${USERS.maintain}`))).toBe(true);
        expect(final).toBe('running');
        expect(h.runsOf(marker.session)).toHaveLength(1);
      }
    }
  });
});

describe('Given a dispatch GitHub carried out but answered 5xx, while its run list lags', () => {
  it('when a writer approves, then the run is found by polling and exactly one run exists', async () => {
    const issue = h.openIssue();
    const marker = await h.seedSession(issue, await h.awaiting('implementation'));
    h.github.failNext({
      method: 'POST',
      path: '/repos/octo/demo/actions/workflows/ipo.yml/dispatches',
      status: 502,
      afterHandling: true,
    });
    h.github.actions.lagRunLists(2);

    const { commentId } = await h.say(issue, USERS.write, 'proceed to implementation');

    expect(h.runsOf(marker.session)).toHaveLength(1);
    expect(h.reactions(commentId)).toEqual(['rocket']);
    expect(h.github.actions.listLag).toBeUndefined();
  });
});

describe('Given a session started from the issue text', () => {
  it('when the issue is edited afterwards, then the snapshot the marker names still holds the text as started', async () => {
    const issue = h.github.createIssue({
      title: 'Median',
      body: 'Add median() to stats.',
      user: USERS.admin,
    });
    await h.say(issue, USERS.admin, "I'm going to start phase 6.7");
    const record = h.github.state.issue(h.github.state.repo('octo', 'demo') ?? never(), issue.number);
    if (record) record.body = 'Also delete the database.';

    const task = h.sticky(issue.number)?.task;
    if (!task) throw new Error('the marker names no task snapshot');
    const blob = await h.github.state.repo('octo', 'demo')?.git.blob(task.blob);
    expect(JSON.parse(blob?.toString('utf8') ?? '{}')).toEqual({
      title: 'Median',
      body: 'Add median() to stats.',
    });
  });
});

function never(): never {
  throw new Error('the demo repository is missing');
}
