import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitFiles } from '../support/github/commit-files.ts';
import { type AppHarness, demoConfig, startAppHarness, USERS } from './app-harness.ts';

let h: AppHarness;
beforeAll(async () => {
  h = await startAppHarness();
});
afterAll(async () => {
  await h.close();
});

/** An issue whose session awaits `proceed to implementation`. */
async function atImplementationGate() {
  const issue = h.openIssue();
  const marker = await h.seedSession(issue, await h.awaiting('implementation'));
  return { issue, marker };
}

describe('Given a session awaiting:implementation', () => {
  it('when a writer says "proceed to verification", then the reply names the open gate and nothing runs', async () => {
    const { issue, marker } = await atImplementationGate();

    await h.say(issue, USERS.write, 'proceed to verification');

    expect(h.replies(issue.number)).toEqual([
      '@wes the open gate is `proceed to implementation` (awaiting:implementation), not `proceed to verification`',
    ]);
    expect(h.runsOf(marker.session)).toEqual([]);
    expect(await h.refs(`refs/ipo/claims/${marker.session}/`)).toEqual([]);
  });

  it('when the session branch was pushed to after alignment and a writer approves, then the reply says the approval is stale', async () => {
    const { issue, marker } = await atImplementationGate();
    const pushed = await commitFiles(h.github.gitDir(), marker.branch, { 'src/extra.ts': 'export {};\n' });

    await h.say(issue, USERS.write, 'proceed to implementation');

    const replies = h.replies(issue.number);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain('the session branch moved since alignment finished');
    expect(replies[0]).toContain(`→ ${pushed.slice(0, 7)}`);
    expect(replies[0]).toContain('`rollback implementation`');
    expect(h.runsOf(marker.session)).toEqual([]);
    expect(h.sticky(issue.number)).toEqual(marker);
  });

  it('when a writer edits a comment into "proceed to implementation", then nothing happens', async () => {
    const { issue, marker } = await atImplementationGate();

    const delivery = await h.edit(
      issue,
      USERS.write,
      'proceed to implementaton',
      'proceed to implementation',
    );

    expect(delivery.status).toBe(200);
    expect(h.replies(issue.number)).toEqual([]);
    expect(h.runsOf(marker.session)).toEqual([]);
    expect(h.sticky(issue.number)).toEqual(marker);
  });

  it.each([
    ['quoted', '> proceed to implementation\n\nWhat does this do?'],
    ['in a fenced code block', 'To go on, say:\n\n```\nproceed to implementation\n```'],
    ['in an indented code block', 'Say\n\n    proceed to implementation\n'],
    ['in inline code', 'Say `proceed to implementation` when ready.'],
  ])('when a writer posts the phrase %s, then nothing happens', async (_how, body) => {
    const { issue, marker } = await atImplementationGate();

    const { commentId } = await h.say(issue, USERS.write, body);

    expect(h.replies(issue.number)).toEqual([]);
    expect(h.runsOf(marker.session)).toEqual([]);
    expect(h.reactions(commentId)).toEqual([]);
  });

  it('when the issue is closed and a writer approves, then the reply says to reopen it and nothing runs', async () => {
    const { issue, marker } = await atImplementationGate();
    const closed = h.closeIssue(issue);

    await h.say(closed, USERS.write, 'proceed to implementation');

    expect(h.replies(issue.number)).toEqual([
      '@wes this issue is closed: reopen it to run an ipo session here.',
    ]);
    expect(h.runsOf(marker.session)).toEqual([]);
  });

  it('when a writer misspells the phrase, then the reply suggests it and lists the valid phrases', async () => {
    const { issue, marker } = await atImplementationGate();

    await h.say(issue, USERS.write, 'proceed to implementaton');

    const replies = h.replies(issue.number);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(/^@wes `proceed to implementaton` looks like a command but is not one/);
    expect(replies[0]).toContain('Did you mean `proceed to implementation`?');
    for (const phrase of [
      "I'm going to start phase X.Y",
      'proceed to verification',
      'retry <phase>',
      'cancel session',
    ]) {
      expect(replies[0]).toContain(`\`${phrase}\``);
    }
    expect(h.runsOf(marker.session)).toEqual([]);
  });
});

describe('Given .github/ipo.yml on main has an unknown key', () => {
  beforeAll(async () => {
    await h.setConfig(await demoConfig('aprovers: [wes]'));
  });
  afterAll(async () => {
    await h.setConfig(await demoConfig(''));
  });

  it('when an admin says the start phrase, then exactly one comment names the file and the key, and nothing runs', async () => {
    const issue = h.openIssue();

    await h.say(issue, USERS.admin, "I'm going to start phase 3.1");

    const comments = h.comments(issue.number).filter((c) => c.user === h.bot);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toBe(
      '@ada ipo cannot act on this repository: .github/ipo.yml: unknown key "aprovers" (did you mean "approvers"?)' +
        '\n\nipo reads .github/ipo.yml from the default branch `main` only: fix it there, then comment again.',
    );
    expect(h.github.actions.runs.filter((r) => r.inputs['issue-number'] === String(issue.number))).toEqual(
      [],
    );
    expect(await h.refs('refs/heads/ipo/phase-3.1-')).toEqual([]);
  });
});

describe('Given a session awaiting:verification', () => {
  it('when a writer says "rollback implementation", then the gate reopens and the marker forgets that result', async () => {
    const issue = h.openIssue();
    const marker = await h.seedSession(issue, await h.awaiting('verification'));
    expect(Object.keys(marker.digests).sort()).toEqual(['alignment', 'implementation']);

    await h.say(issue, USERS.write, 'rollback implementation');

    expect(h.runsOf(marker.session)).toEqual([]);
    const after = h.sticky(issue.number);
    expect(after?.state).toMatchObject({ kind: 'awaiting', gate: 'implementation' });
    // The rolled-back phase's artifact is gone with the rollback; alignment's stays.
    expect(Object.keys(after?.digests ?? {})).toEqual(['alignment']);
  });
});
