import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCRIPT } from '../../src/cli/commands/demo.ts';
import { loadScript } from '../../src/replay/load-script.ts';
import { localOctokit } from '../support/github/local-octokit.ts';
import { type E2E, OWNER, REPO, startE2E } from './e2e-harness.ts';

const WRITER_TOKEN = 'ghs_writer_person_token_0123456';

/**
 * The phase workflow's `concurrency: ipo-<session>` as GitHub applies it (one running, one pending, the pending one
 * cancelled by a newer run): the app never puts a second run of a session in the group, and dispatches made by hand
 * cannot move the session.
 */
describe('end to end: one session, one concurrency group', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E(await loadScript(DEMO_SCRIPT), { [WRITER_TOKEN]: 'writer' });
    await e.comment('maintainer', "I'm going to start implementation of phase 1.3");
  }, 120_000);
  afterAll(async () => {
    await e?.close();
  });

  it('While implementation runs, commands that would dispatch are refused and nothing waits in the group; two hand dispatches leave one pending, cancelled by the third, and the session ends as the real run says', async () => {
    const hold = e.runner.holdNext('implementation');
    await e.comment('maintainer', 'proceed to implementation', { waitForRuns: false });
    await hold.started;
    const [running] = e.github.actions.runs.filter((r) => r.status === 'in_progress');
    const group = running?.concurrency?.group ?? '';
    expect(group).toMatch(/^ipo-phase-1\.3-\d{8}$/);

    for (const [user, phrase] of [
      ['maintainer', 'proceed to implementation'],
      ['maintainer', 'retry implementation'],
      ['writer', 'proceed to verification'],
      ['maintainer', "I'm going to start implementation of phase 1.3"],
    ] as const) {
      await e.comment(user, phrase, { waitForRuns: false });
    }
    // The app dispatched nothing more: the group holds the one running run and no pending one.
    expect(e.github.actions.inGroup(`${OWNER}/${REPO}`, group).map((r) => r.status)).toEqual(['in_progress']);

    // A writer dispatches the same run twice by hand (GitHub lets anyone with write access do that).
    const octokit = localOctokit(e.github, WRITER_TOKEN);
    const inputs = Object.fromEntries(
      Object.entries(running?.inputs ?? {}).map(([k, v]) => [k, String(v ?? '')]),
    );
    const byHand = async () => {
      const { data } = await octokit.rest.actions.createWorkflowDispatch({
        owner: OWNER,
        repo: REPO,
        workflow_id: 'ipo.yml',
        ref: 'main',
        inputs,
        return_run_details: true,
      });
      return (data as unknown as { workflow_run_id: number }).workflow_run_id;
    };
    const second = await byHand();
    expect(e.github.run(second)?.status).toBe('pending');
    const third = await byHand();
    expect(e.github.run(second)).toMatchObject({ status: 'completed', conclusion: 'cancelled' });
    expect(e.github.run(third)?.status).toBe('pending');
    // GitHub reports the cancelled run at once, while the real one still runs: the session must not read it as its
    // implementation attempt having failed (that would offer `retry implementation`, a second run in the group).
    await e.runner.cancellationsReported();
    expect((await e.marker())?.state).toMatchObject({ kind: 'running', phase: 'implementation', attempt: 1 });

    hold.release();
    await e.runner.idle();
    const byId = new Map(e.runner.records.map((r) => [r.runId, r]));
    expect(byId.get(running?.id ?? 0)?.conclusion).toBe('success');
    expect(byId.get(second)?.conclusion).toBe('cancelled');
    // The third ran after the first and was refused by its preflight: the session had moved on.
    expect(byId.get(third)?.conclusion).toBe('failure');
    expect(byId.get(third)?.stdout).toMatch(/previous-run-id|status comment records/);
    // The cancelled duplicate did not fail the session: it waits at the verification gate, as the real run left it.
    expect((await e.marker())?.state).toMatchObject({ kind: 'awaiting', gate: 'verification' });
  }, 240_000);
});
