import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIGEST } from '../state/fixtures.ts';
import { commitFiles } from '../support/github/commit-files.ts';
import type { WorkflowRun } from '../support/github/local-github.ts';
import { type AppHarness, startAppHarness, TODAY, USERS } from './app-harness.ts';

let h: AppHarness;
beforeAll(async () => {
  h = await startAppHarness();
});
afterAll(async () => {
  await h.close();
});

describe('Given implementation was dispatched and its job advanced the marker to awaiting:verification', () => {
  it('when the run completes with success, then a comment tells the person to say `proceed to verification`', async () => {
    const issue = h.openIssue();
    const main = (await h.refSha('refs/heads/main')) ?? '';
    const seeded = await h.seedSession(issue, {
      kind: 'awaiting',
      gate: 'implementation',
      approves: { digest: DIGEST, head: main },
    });
    await h.say(issue, USERS.write, 'proceed to implementation');
    const run = h.runsOf(seeded.session)[0];
    const running = h.sticky(issue.number);
    if (!run || !running) throw new Error('implementation was not dispatched');
    const reported = {
      ...running,
      state: { kind: 'awaiting', gate: 'verification', approves: { digest: DIGEST, head: main } },
      lastRunId: run.id,
      digests: { ...running.digests, implementation: DIGEST },
    } as const;
    h.advanceMarker(issue.number, reported);
    const before = h.comments(issue.number).length;

    await h.finishRun(run.id, 'success');

    const added = h.comments(issue.number).slice(before);
    expect(added.map((c) => c.user)).toEqual([h.bot]);
    expect(added[0]?.body).toBe(
      `✅ implementation attempt 1 succeeded ([run](${h.github.webUrl}/octo/demo/actions/runs/${run.id})). ` +
        'To continue, comment `proceed to verification`.',
    );
    expect(h.sticky(issue.number)?.state).toEqual(reported.state);
  });
});

describe('Given alignment is running and its job never reported', () => {
  it('when the run completes with failure, then the marker says failed with that conclusion and `retry alignment` is offered', async () => {
    const issue = h.openIssue('Task 5.1');
    const session = `phase-5.1-${TODAY}`;
    await h.say(issue, USERS.admin, "I'm going to start phase 5.1");
    const run = h.runsOf(session)[0];
    if (!run) throw new Error('alignment was not dispatched');

    await h.finishRun(run.id, 'failure');

    const marker = h.sticky(issue.number);
    expect(marker?.state).toEqual({
      kind: 'failed',
      phase: 'alignment',
      attempt: 1,
      error: 'the run ended failure before reporting a result',
    });
    expect(marker?.runs).toEqual([{ phase: 'alignment', attempt: 1, runId: run.id, conclusion: 'failure' }]);
    const last = h.replies(issue.number).at(-1) ?? '';
    expect(last).toContain('alignment attempt 1 failed');
    expect(last).toContain('`retry alignment`');
    expect(last).toContain('`cancel session`');
  });

  it('when the same completion is delivered twice, then the issue gets one comment', async () => {
    const issue = h.openIssue('Task 5.2');
    await h.say(issue, USERS.admin, "I'm going to start phase 5.2");
    const run = h.runsOf(`phase-5.2-${TODAY}`)[0];
    if (!run) throw new Error('alignment was not dispatched');
    const id = 'c0ffee00-0000-4000-8000-00000000beef';

    await h.finishRun(run.id, 'timed_out', { id });
    await h.finishRun(run.id, 'timed_out', { id });

    expect(h.replies(issue.number)).toHaveLength(1);
  });
});

describe('Given alignment is running, and a run that is not one of ours completes', () => {
  // Each keeps our run-name: any writer can dispatch any workflow, from any branch or tag, with any run-name.
  it.each<[string, (n: number) => Partial<WorkflowRun> | Promise<Partial<WorkflowRun>>]>([
    ['another workflow (its run-name is not ours)', (n: number) => ({ display_title: `CI for issue ${n}` })],
    [
      'a pull_request run whose run-name copies ours (a fork can set any run-name)',
      () => ({ event: 'pull_request' }),
    ],
    ['a dispatched run of another workflow file', () => ({ path: '.github/workflows/evil.yml' })],
    ['a dispatched run of the ipo workflow on another branch', () => ({ head_branch: 'feature' })],
    [
      "a fork's run",
      () => ({
        head_repository: {
          ...h.github.repository(),
          full_name: 'mallory/demo',
        } as WorkflowRun['head_repository'],
      }),
    ],
    [
      "a run from a tag named like the default branch, at a commit not on main's history",
      async () => ({
        head_sha: await commitFiles(h.github.gitDir(), 'tagged', {
          '.github/workflows/ipo.yml': 'on: push\n',
        }),
      }),
    ],
  ])('when %s fails, then the app ignores it: no comment, the marker unchanged', async (_what, overrides) => {
    const issue = h.openIssue();
    const task = `5.${issue.number + 10}`;
    await h.say(issue, USERS.admin, `I'm going to start phase ${task}`);
    const run = h.runsOf(`phase-${task}-${TODAY}`)[0];
    if (!run) throw new Error('alignment was not dispatched');
    const marker = h.sticky(issue.number);
    const before = h.comments(issue.number).length;

    await h.finishRun(run.id, 'failure', { overrides: await overrides(issue.number) });

    expect(h.comments(issue.number)).toHaveLength(before);
    expect(h.sticky(issue.number)).toEqual(marker);
  });
});
