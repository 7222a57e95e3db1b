import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCRIPT } from '../../src/cli/commands/demo.ts';
import { formatSessionId } from '../../src/core/session/session-id.ts';
import { loadScript } from '../../src/replay/load-script.ts';
import type { Ledger } from '../../src/state/ledger.ts';
import { commitFiles } from '../support/github/commit-files.ts';
import {
  type ActionHarness,
  createSessionBranch,
  EXAMPLE,
  type PhaseRun,
  startActionHarness,
} from './action-harness.ts';

const SESSION = formatSessionId('1.3', new Date());
const NOTE = "ipo ran the implementation phase's commands WITHOUT a sandbox (attempt 1;";
const MISSING = '/nonexistent/ipo-action/bwrap';

describe('a runner without the sandbox, where the config opts out (`sandbox.required: false`)', () => {
  let h: ActionHarness;
  let alignment: PhaseRun;
  let implementation: PhaseRun;

  beforeAll(async () => {
    h = await startActionHarness(await loadScript(DEMO_SCRIPT));
    const config = await readFile(join(EXAMPLE, '.github/ipo.yml'), 'utf8');
    await commitFiles(
      h.github.gitDir(),
      'main',
      { '.github/ipo.yml': `${config}sandbox:\n  required: false\n` },
      { message: 'ipo: commands unsandboxed' },
    );
    const base = await createSessionBranch(h, SESSION);
    // Only the agent job runs commands, so only its process is pointed at a bubblewrap that is not there; the write
    // job runs no sandbox and learns what happened from the agent's recorded run.
    const agentEnv = { IPO_BWRAP_PATH: MISSING };
    alignment = await h.runPhase({
      phase: 'alignment',
      session: SESSION,
      approvedSha: base,
      commentId: h.comment('maintainer', "I'm going to start implementation of phase 1.3"),
      agentEnv,
    });
    implementation = await h.runPhase({
      phase: 'implementation',
      session: SESSION,
      approvedSha: base,
      stateFrom: alignment.outDir,
      commentId: h.comment('maintainer', 'proceed to implementation'),
      agentEnv,
    });
  }, 120_000);

  afterAll(() => h?.close());

  it('records it in the ledger for the implementation run, with the probe’s reason, and not for alignment', async () => {
    expect(implementation.outputs.status).toBe('succeeded');
    const ledger = JSON.parse(await readFile(join(implementation.outDir, 'session.json'), 'utf8')) as Ledger;
    const run = (phase: string) => ledger.runs.find((r) => r.phase === phase);
    expect(run('implementation')?.unsandboxed).toContain(`bubblewrap is not installed at ${MISSING}`);
    expect(run('alignment')?.unsandboxed).toBeUndefined();
  });

  it('the status comment the write job writes says so for that phase', () => {
    const sticky = h.github.state.comments.filter((c) => c.body.includes('ipo:status')).at(-1)?.body ?? '';
    expect(sticky).toContain('> [!WARNING]');
    expect(sticky).toContain(NOTE);
    expect(sticky).toContain(`bubblewrap is not installed at ${MISSING}`);
    expect(sticky).not.toContain("the alignment phase's commands");
  });

  it('both jobs’ summaries and logs say so; alignment’s, which runs no commands, do not', () => {
    // The harness prefixes the write job's log with the agent's: the write job's own part follows it.
    const writeLog = implementation.stdout.slice(implementation.agent.stdout.length);
    for (const [summary, log] of [
      [implementation.agent.summary, implementation.agent.stdout],
      [implementation.summary, writeLog],
    ]) {
      expect(summary).toContain(NOTE);
      expect(log).toContain(`::warning::${NOTE}`);
    }
    expect(alignment.summary).not.toContain('WITHOUT a sandbox');
    expect(alignment.stdout).not.toContain('WITHOUT a sandbox');
  });
});
