import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CliIo, composeSession } from '../cli/compose.ts';
import { giveCommand, startSession } from '../local/local-session.ts';
import { startReplayServer } from '../replay/replay-server.ts';
import type { ReplayScript } from '../replay/script-schema.ts';
import { sessionDir } from '../state/artifact-store.ts';
import type { EnvelopeOf } from '../state/envelope.ts';
import type { Ledger } from '../state/ledger.ts';

export interface IsolatedRun {
  ledger: Ledger;
  alignment: EnvelopeOf<'alignment'>['body'];
  implementation: EnvelopeOf<'implementation'>['body'];
  verification: EnvelopeOf<'verification'>['body'];
}

/**
 * A whole local session on `repo` (already committed), every phase in its own process as `ipo start` runs it, the
 * model answered by a replay of `script`. Throws naming the phase that stopped: a script that does not fit the
 * repository shows up as a failed or blocked phase, or as turns left unserved.
 */
export async function runIsolatedSession(params: {
  repo: string;
  task: string;
  script: ReplayScript;
  env: NodeJS.ProcessEnv;
}): Promise<IsolatedRun> {
  const quiet: CliIo = { out: () => undefined, err: () => undefined, isTTY: false };
  const replay = await startReplayServer({ script: params.script });
  try {
    const env = { ...params.env, ANTHROPIC_API_KEY: 'replay-bench-key', ANTHROPIC_BASE_URL: replay.url };
    const deps = composeSession(quiet, env, { cwd: params.repo, actor: 'bench-maintainer' });
    let report = await startSession(deps, params.task);
    for (const phase of ['implementation', 'verification', 'commit'] as const) {
      const stopped = report.runs.find((run) => run.outcome !== 'succeeded');
      if (stopped) {
        throw new Error(
          `the isolated session stopped in ${stopped.phase} (${stopped.outcome}): ${stopped.message} — does the replay script fit this repository and task?`,
        );
      }
      report = await giveCommand(deps, { name: 'proceed', phase }, report.session);
    }
    const stopped = report.runs.find((run) => run.outcome !== 'succeeded');
    if (stopped) throw new Error(`the isolated session stopped in ${stopped.phase}: ${stopped.message}`);
    if (replay.remaining().length > 0) {
      throw new Error(
        `the replay script has turns the session never asked for: ${replay.remaining().join(', ')} — the script does not fit this repository`,
      );
    }
    const dir = sessionDir(params.repo, report.session);
    const read = async (file: string) => JSON.parse(await readFile(join(dir, file), 'utf8'));
    return {
      ledger: (await read('session.json')) as Ledger,
      alignment: ((await read('alignment.json')) as EnvelopeOf<'alignment'>).body,
      implementation: ((await read('implementation.json')) as EnvelopeOf<'implementation'>).body,
      verification: ((await read('verification.json')) as EnvelopeOf<'verification'>).body,
    };
  } finally {
    await replay.close();
  }
}
