import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCRIPT } from '../../src/cli/commands/demo.ts';
import { formatSessionId } from '../../src/core/session/session-id.ts';
import { loadScript } from '../../src/replay/load-script.ts';
import {
  type ActionHarness,
  type ActionRun,
  createSessionBranch,
  startActionHarness,
} from './action-harness.ts';

const SESSION = formatSessionId('1.3', new Date());

describe("the job's preflight on a previous run whose state artifact expired (retention)", () => {
  let h: ActionHarness;
  let checked: ActionRun;

  beforeAll(async () => {
    h = await startActionHarness(await loadScript(DEMO_SCRIPT));
    const base = await createSessionBranch(h, SESSION);
    const alignment = await h.runPhase({
      phase: 'alignment',
      session: SESSION,
      approvedSha: base,
      commentId: h.comment('maintainer', "I'm going to start implementation of phase 1.3"),
    });
    // GitHub deleted it after the repository's retention: listed `expired`, its zip answered 410.
    for (const artifact of h.github.actions.artifactsOf(alignment.runId))
      artifact.expiresAt = '2026-01-01T00:00:00Z';
    checked = await h.preflight({
      phase: 'implementation',
      session: SESSION,
      previousRunId: alignment.runId,
      commentId: h.comment('maintainer', 'proceed to implementation'),
    });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('refuses before the download step, saying the state expired and what to do', () => {
    expect(checked.exitCode).not.toBe(0);
    expect(checked.outputs['state-artifact']).toBeUndefined();
    expect(checked.stdout).toMatch(
      /expired on 2026-01-01 .*so the session cannot continue: say `cancel session`/,
    );
  });
});
