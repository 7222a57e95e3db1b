import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { DEMO_SCRIPT } from '../src/cli/commands/demo.ts';
import { formatSessionId } from '../src/core/session/session-id.ts';
import { loadScript } from '../src/replay/load-script.ts';
import { createSessionBranch, startActionHarness } from '../test/action/action-harness.ts';

export interface StartFigures {
  /** Milliseconds from spawning `node dist/index.js` (alignment) to its first Messages API request. */
  actionMs: number[];
  /** Milliseconds from spawning a bare `node` that makes one request to the same server: the floor. */
  baselineMs: number[];
}

/** Times how long the bundled action takes to reach its first model request, against a bare node process. */
export async function measureActionStart(rounds: number): Promise<StartFigures> {
  const demo = await loadScript(DEMO_SCRIPT);
  const alignment = demo.conversations.find((c) => c.name === 'alignment');
  if (!alignment) throw new Error('the demo script has no alignment conversation');
  const conversations = Array.from({ length: rounds }, (_, i) => ({ ...alignment, name: `alignment-${i}` }));
  const h = await startActionHarness({ version: 1, conversations });
  const figures: StartFigures = { actionMs: [], baselineMs: [] };
  try {
    for (let i = 0; i < rounds; i++) {
      // The job checks the start comment was made on the session's day, so the sessions are today's.
      const session = formatSessionId('1.3', new Date(), i + 1);
      const commentId = h.comment('maintainer', "I'm going to start phase 1.3");
      const base = await createSessionBranch(h, session);
      const before = h.replay.requests.length;
      let spawnedAt = 0;
      let firstAt = 0;
      const watch = setInterval(() => {
        if (!firstAt && h.replay.requests.length > before) firstAt = performance.now();
      }, 1);
      await h.runPhase({
        phase: 'alignment',
        session,
        approvedSha: base,
        commentId,
        onSpawn: () => (spawnedAt = performance.now()),
      });
      clearInterval(watch);
      figures.actionMs.push(firstAt - spawnedAt);
      figures.baselineMs.push(await bareNodeRequest(h.replay.url, () => h.replay.requests.length));
    }
  } finally {
    await h.close();
  }
  return figures;
}

/** Spawn → first request seen by the server, for a node process that does nothing but that request. */
function bareNodeRequest(url: string, count: () => number): Promise<number> {
  return new Promise((resolve, reject) => {
    const before = count();
    let firstAt = 0;
    const watch = setInterval(() => {
      if (!firstAt && count() > before) firstAt = performance.now();
    }, 1);
    const started = performance.now();
    const script = `fetch(${JSON.stringify(`${url}/v1/models`)}).then(() => process.exit(0), () => process.exit(0))`;
    const child = spawn(process.execPath, ['-e', script]);
    child.on('error', reject);
    child.on('close', () => {
      clearInterval(watch);
      resolve((firstAt || performance.now()) - started);
    });
  });
}
