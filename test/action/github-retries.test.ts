import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_SCRIPT } from '../../src/cli/commands/demo.ts';
import { formatSessionId } from '../../src/core/session/session-id.ts';
import { loadScript } from '../../src/replay/load-script.ts';
import type { FaultSpec } from '../support/github/fault-injector.ts';
import {
  type ActionHarness,
  type ActionRun,
  createSessionBranch,
  OWNER,
  REPO,
  startActionHarness,
} from './action-harness.ts';

// Dated today: the job refuses a start comment made on another day than the session's date.
const SESSION = formatSessionId('1.3', new Date());
const PULLS = `/repos/${OWNER}/${REPO}/pulls`;

/** Alignment, then implementation with `fault` queued for the moment the job opens the draft PR. */
async function implementWith(h: ActionHarness, fault: FaultSpec): Promise<ActionRun> {
  const base = await createSessionBranch(h, SESSION);
  const alignment = await h.runPhase({
    phase: 'alignment',
    session: SESSION,
    approvedSha: base,
    commentId: h.comment('maintainer', "I'm going to start implementation of phase 1.3"),
  });
  expect(alignment.exitCode, alignment.stdout).toBe(0);
  h.github.failNext(fault);
  return h.runPhase({
    phase: 'implementation',
    session: SESSION,
    approvedSha: base,
    stateFrom: alignment.outDir,
    commentId: h.comment('maintainer', 'proceed to implementation'),
  });
}

const pullCalls = (h: ActionHarness) =>
  h.github.requests.filter((r) => r.path.startsWith(PULLS)).map((r) => `${r.method} ${r.status}`);

describe('the Action survives GitHub 5xx while it opens the pull request (dist/index.js, retries as in production)', () => {
  let h: ActionHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('a 502 on the create is retried: implementation succeeds with exactly one PR', async () => {
    h = await startActionHarness(await loadScript(DEMO_SCRIPT));
    const run = await implementWith(h, { method: 'POST', path: PULLS, status: 502 });

    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    expect(h.github.pendingFaults()).toBe(0);
    expect(pullCalls(h)).toEqual(['GET 200', 'POST 502', 'POST 201']);
    expect(h.github.state.pulls).toEqual([expect.objectContaining({ head: `ipo/${SESSION}`, draft: true })]);
  }, 120_000);

  it('a 502 after GitHub created the PR: the resent create answers 422 and the job uses the PR that exists', async () => {
    h = await startActionHarness(await loadScript(DEMO_SCRIPT));
    const run = await implementWith(h, { method: 'POST', path: PULLS, status: 502, afterHandling: true });

    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    expect(pullCalls(h)).toEqual(['GET 200', 'POST 502', 'POST 422', 'GET 200']);
    expect(h.github.state.pulls).toHaveLength(1);
  }, 120_000);

  it('a 5xx that outlasts the retries fails the phase with a message naming the call', async () => {
    h = await startActionHarness(await loadScript(DEMO_SCRIPT));
    const run = await implementWith(h, { method: 'POST', path: PULLS, status: 503, times: 10 });

    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('failed');
    const message = `GitHub answered 503 to POST ${PULLS}: local GitHub: injected 503 (4 attempts)`;
    expect(run.stdout).toContain(`::error::implementation failed: publishing the result failed: ${message}`);
    expect(pullCalls(h)).toEqual(['GET 200', 'POST 503', 'POST 503', 'POST 503', 'POST 503']);
    expect(h.github.state.pulls).toEqual([]);
    // The status comment tells the people on the issue what broke, not only the job log.
    const status = h.github.state.comments.filter((c) => c.user === 'ipo-app[bot]');
    expect(status).toHaveLength(1);
    expect(status[0]?.body).toContain(message);
  }, 120_000);
});
