import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCRIPT } from '../../src/cli/commands/demo.ts';
import { formatSessionId } from '../../src/core/session/session-id.ts';
import { parseStatusMarker } from '../../src/github/status-marker.ts';
import { loadScript } from '../../src/replay/load-script.ts';
import { digest } from '../../src/state/digest.ts';
import type { Ledger } from '../../src/state/ledger.ts';
import {
  type ActionHarness,
  createSessionBranch,
  type PhaseRun,
  startActionHarness,
} from './action-harness.ts';

const exec = promisify(execFile);
const SESSION = formatSessionId('1.3', new Date());

/**
 * What a command in the agent job could do to its upload: hide every changed file from `filesChanged` (verification
 * classifies the scope from it) and make the run's recorded digest match the rewritten artifact.
 */
async function hideChangedFiles(agentDir: string): Promise<void> {
  const artifact = JSON.parse(await readFile(join(agentDir, 'implementation.json'), 'utf8'));
  artifact.body.filesChanged = [];
  await writeFile(join(agentDir, 'implementation.json'), `${JSON.stringify(artifact, null, 2)}\n`);
  const ledger = JSON.parse(await readFile(join(agentDir, 'session.json'), 'utf8')) as Ledger;
  const run = ledger.runs.find((r) => r.phase === 'implementation');
  if (!run?.output) throw new Error('the agent recorded no implementation artifact');
  run.output.sha256 = digest(artifact);
  await writeFile(join(agentDir, 'session.json'), `${JSON.stringify(ledger, null, 2)}\n`);
}

describe('an agent upload whose implementation artifact hides what the commits change', () => {
  let h: ActionHarness;
  let base: string;
  let run: PhaseRun;

  beforeAll(async () => {
    h = await startActionHarness(await loadScript(DEMO_SCRIPT));
    base = await createSessionBranch(h, SESSION);
    const alignment = await h.runPhase({
      phase: 'alignment',
      session: SESSION,
      approvedSha: base,
      commentId: h.comment('maintainer', "I'm going to start implementation of phase 1.3"),
    });
    run = await h.runPhase({
      phase: 'implementation',
      session: SESSION,
      approvedSha: base,
      stateFrom: alignment.outDir,
      commentId: h.comment('maintainer', 'proceed to implementation'),
      tamperAgentOutput: hideChangedFiles,
    });
  }, 120_000);

  afterAll(() => h?.close());

  it('is refused by the write job with the file it hid: a failed run, nothing pushed, `retry implementation` offered', async () => {
    expect(run.outputs.status).toBe('failed');
    const ledger = JSON.parse(await readFile(join(run.outDir, 'session.json'), 'utf8')) as Ledger;
    const error = ledger.runs.find((r) => r.phase === 'implementation')?.error ?? '';
    expect(error).toContain(
      "the write job refused the agent job's output: implementation.json's filesChanged is not what the commits change: it leaves out src/median.js (modified",
    );
    expect(error).toContain('say `retry implementation`');
    const { stdout } = await exec('git', ['--git-dir', h.github.gitDir(), 'rev-parse', `ipo/${SESSION}`]);
    expect(stdout.trim()).toBe(base);
    expect(h.github.state.pulls).toHaveLength(0);
    const sticky = h.github.state.comments.filter((c) => c.body.includes('ipo:status')).at(-1)?.body ?? '';
    expect(parseStatusMarker(sticky)?.state).toMatchObject({ kind: 'failed', phase: 'implementation' });
  });
});
