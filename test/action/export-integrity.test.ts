import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCRIPT } from '../../src/cli/commands/demo.ts';
import { formatSessionId } from '../../src/core/session/session-id.ts';
import { parseStatusMarker } from '../../src/github/status-marker.ts';
import { loadScript } from '../../src/replay/load-script.ts';
import type { ReplayScript } from '../../src/replay/script-schema.ts';
import { digest } from '../../src/state/digest.ts';
import type { Ledger } from '../../src/state/ledger.ts';
import { commitFiles } from '../support/github/commit-files.ts';
import {
  type ActionHarness,
  type ActionRun,
  createSessionBranch,
  EXAMPLE,
  startActionHarness,
} from './action-harness.ts';

const SESSION = formatSessionId('1.3', new Date());
const FORGED = '{"forged":"a verdict nobody computed"}';

/**
 * The model's first command: finds the job's out-dir in its parent's environment (no sandbox here), plants a file
 * there at once, and leaves a detached `setsid` sleeper behind that waits until the job has written its export, then
 * rewrites the artifact and plants again, over and over. It gives up after a minute so a failing test leaves nothing
 * running. The file planted before the export is what makes the test certain: the job checks its export right after
 * writing it, and whether the sleeper's rewrites land before that check is up to the scheduler.
 */
const SLEEPER = [
  `out=$(tr '\\0' '\\n' < /proc/$PPID/environ | sed -n 's/^INPUT_OUT-DIR=//p')`,
  'echo planted > "$out/planted.json"',
  // The sleeper says when it runs in its own session: a command that ended before then would take it down with
  // its process group (run_command kills the group), and the attack would not happen at all.
  `setsid sh -c 'touch "$1.ready"; for i in $(seq 600); do [ -e "$1/session.json" ] && break; sleep 0.05; done;` +
    // Then it keeps rewriting (for up to a minute, until the directory is gone), so however the job and this test
    // are scheduled, any look at the directory after the export finds its bytes.
    ` for i in $(seq 3000); do [ -d "$1" ] || exit 0; printf "%s" "$2" > "$1/implementation.json";` +
    ` echo planted > "$1/planted.json"; sleep 0.02; done'` +
    ` sleeper "$out" '${FORGED.trim()}' >/dev/null 2>&1 </dev/null &`,
  'for i in $(seq 600); do [ -e "$out.ready" ] && break; sleep 0.05; done',
  'echo "sleeper left for $out"',
].join('\n');

/** The demo script, with the implementation's first turn also running the sleeper command. */
function withSleeper(script: ReplayScript): ReplayScript {
  const copy = structuredClone(script);
  const first = copy.conversations.find((c) => c.name === 'implementation')?.turns[0];
  if (!first) throw new Error('the demo script has no implementation turn');
  // First in the turn: the next turn expects the last result to be the demo's own read.
  first.response.content.unshift({
    type: 'tool_use',
    id: 'toolu_sleeper',
    name: 'run_command',
    input: { command: SLEEPER },
  });
  return copy;
}

describe('the phase job’s export, with a process a command left behind rewriting it', () => {
  let h: ActionHarness;
  let run: ActionRun & { agent: ActionRun; wrote: boolean };

  beforeAll(async () => {
    h = await startActionHarness(withSleeper(await loadScript(DEMO_SCRIPT)));
    // The sandbox would stop this attack outright (no /proc of the job, no out-dir, the sleeper killed): this test is
    // of the defence that holds without it, where a repository opts out.
    const config = await readFile(join(EXAMPLE, '.github/ipo.yml'), 'utf8');
    await commitFiles(
      h.github.gitDir(),
      'main',
      { '.github/ipo.yml': `${config}sandbox:\n  required: false\n` },
      { message: 'ipo: commands unsandboxed' },
    );
    const base = await createSessionBranch(h, SESSION);
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
      // A runner where bubblewrap cannot run: with `required: false` the commands run unsandboxed.
      agentEnv: { IPO_BWRAP_PATH: '/nonexistent/bwrap' },
    });
  }, 120_000);

  afterAll(() => h?.close());

  it('refuses to hand on an out-dir changed by anyone but the job: the agent step fails, saying why, and nothing is uploaded', async () => {
    const agent = run.agent;
    expect(await readdir(agent.outDir)).toContain('planted.json');

    expect(agent.exitCode).not.toBe(0);
    const said = `${agent.stdout}\n${agent.summary}`;
    expect(said).toContain('is not what the phase wrote');
    expect(said).toContain('planted.json was not written by the phase');
    expect(said).toContain('retry the phase');
    // No outcome: neither the agent's upload nor the write job runs.
    expect(agent.outputs.status).toBeUndefined();
    expect(run.wrote).toBe(false);
    expect(h.github.actions.artifactsOf(run.runId)).toEqual([]);
  });

  it('records the digest of the artifact it computed, never of the bytes that replaced it', async () => {
    const ledger = JSON.parse(await readFile(join(run.agent.outDir, 'session.json'), 'utf8')) as Ledger;
    const recorded = ledger.runs.find((r) => r.phase === 'implementation')?.output?.sha256;
    expect(recorded).toMatch(/^[0-9a-f]{64}$/);
    expect(recorded).not.toBe(digest(JSON.parse(FORGED)));
    // The status comment still names alignment's ledger: nothing of the refused run was written anywhere.
    const sticky = h.github.state.comments.filter((c) => c.body.includes('ipo:status')).at(-1);
    const marker = parseStatusMarker(sticky?.body ?? '');
    expect(marker?.state).toMatchObject({ kind: 'awaiting', gate: 'implementation' });
    expect(marker?.ledgerDigest).not.toBe(digest(ledger));
  });
});
