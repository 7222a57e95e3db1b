import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runName } from '../../src/core/dispatch/run-name.ts';
import { type AppHarness, startAppHarness, USERS } from './app-harness.ts';

let h: AppHarness;
beforeAll(async () => {
  h = await startAppHarness();
});
afterAll(async () => {
  await h.close();
});

describe('Given an app that died between claiming a command and writing the status comment', () => {
  it('when the app died after claiming, then saying the phrase again carries it out once', async () => {
    const issue = h.openIssue();
    const marker = await h.seedSession(issue, await h.awaiting('implementation'));
    const repo = h.github.state.repo('octo', 'demo');
    const head = marker.bases.alignment ?? '';
    // What the dead instance left: the claim on the session's version, and nothing else.
    expect(await repo?.git.createRef(`refs/ipo/claims/${marker.session}/v${marker.version}`, head)).toBe(
      true,
    );

    const { commentId } = await h.say(issue, USERS.write, 'proceed to implementation');

    expect(h.runsOf(marker.session).map((r) => r.inputs.phase)).toEqual(['implementation']);
    expect(h.reactions(commentId)).toEqual(['rocket']);
    expect(h.sticky(issue.number)?.state).toEqual({ kind: 'running', phase: 'implementation', attempt: 1 });
    expect(await h.refs(`refs/ipo/claims/${marker.session}/`)).toEqual([
      `refs/ipo/claims/${marker.session}/v1`,
      `refs/ipo/claims/${marker.session}/v1.1`,
    ]);
  });

  it('when two people repeat the phrase after the crash, then only one run starts and the other is told why', async () => {
    const issue = h.openIssue();
    const marker = await h.seedSession(issue, await h.awaiting('implementation'));
    await h.github.state
      .repo('octo', 'demo')
      ?.git.createRef(`refs/ipo/claims/${marker.session}/v${marker.version}`, marker.bases.alignment ?? '');

    const said = await Promise.all([
      h.say(issue, USERS.write, 'proceed to implementation'),
      h.say(issue, USERS.writer2, 'proceed to implementation'),
    ]);

    expect(h.runsOf(marker.session)).toHaveLength(1);
    const rockets = said.filter((s) => h.reactions(s.commentId).includes('rocket'));
    expect(rockets).toHaveLength(1);
    expect(h.replies(issue.number)).toHaveLength(1);
  });

  it('when the dead instance had dispatched after all, then saying the phrase again starts no second run', async () => {
    const issue = h.openIssue();
    const marker = await h.seedSession(issue, await h.awaiting('implementation'));
    const repo = h.github.state.repo('octo', 'demo');
    if (!repo) throw new Error('no repository');
    const head = marker.bases.alignment ?? '';
    await repo.git.createRef(`refs/ipo/claims/${marker.session}/v${marker.version}`, head);
    // It stopped after GitHub created its run, before it wrote the status comment.
    const path = '.github/workflows/ipo.yml';
    const run = h.github.actions.addRun(h.github.actions.workflow(repo, path, path), {
      displayTitle: runName({
        session: marker.session,
        phase: 'implementation',
        attempt: 1,
        issueNumber: issue.number,
      }),
      event: 'workflow_dispatch',
      headBranch: 'main',
      headSha: head,
      headCommit: await repo.git.commit(head),
      actor: USERS.write,
      inputs: { session: marker.session, phase: 'implementation', attempt: '1' },
    });

    const { commentId } = await h.say(issue, USERS.writer2, 'proceed to implementation');

    expect(h.runsOf(marker.session).map((r) => r.id)).toEqual([run.id]);
    expect(h.reactions(commentId)).not.toContain('rocket');
    expect(h.replies(issue.number)).toEqual([
      expect.stringContaining(`was carried out already by an earlier handling: run ${run.id}`),
    ]);
    // The takeover is given back: the session's next command claims the next version as usual.
    expect(await h.refs(`refs/ipo/claims/${marker.session}/`)).toEqual([
      `refs/ipo/claims/${marker.session}/v1`,
    ]);
  });
});
