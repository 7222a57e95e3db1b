import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { DEMO_SCRIPT, prepareExampleRepo } from '../../src/cli/commands/demo.ts';
import { composeSession } from '../../src/cli/compose.ts';
import type { Command } from '../../src/core/commands/command.ts';
import { giveCommand, startSession } from '../../src/local/local-session.ts';
import { loadScript } from '../../src/replay/load-script.ts';
import { type ReplayServer, startReplayServer } from '../../src/replay/replay-server.ts';
import type { Conversation, ReplayScript } from '../../src/replay/script-schema.ts';

export interface Harness {
  repo: string;
  /** `$XDG_CACHE_HOME` of the session: phase worktrees go to `<cache>/isolated-phase-orchestrator/worktrees/`. */
  cache: string;
  replay: ReplayServer;
  output: string[];
  start: (taskId?: string) => ReturnType<typeof startSession>;
  give: (command: Command, session?: string) => ReturnType<typeof giveCommand>;
}

/** The demo's replayed conversations by name, to build other scripts from. */
export async function demoConversations(): Promise<
  Record<'alignment' | 'implementation' | 'verification', Conversation>
> {
  const script = await loadScript(DEMO_SCRIPT);
  const byName = Object.fromEntries(script.conversations.map((c) => [c.name, c]));
  return byName as Record<'alignment' | 'implementation' | 'verification', Conversation>;
}

/** A session on a fresh copy of the example repository, phases in child processes, the model replayed by `script`. */
export function useSessionHarness(
  /** Makes the repository at the given directory (default: the example repository, committed on main). */
  prepare: (repo: string) => Promise<void> = prepareExampleRepo,
): (script: ReplayScript) => Promise<Harness> {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  return async (script) => {
    // <root>/repo and <root>/cache: a phase's worktree is <root>/cache/isolated-phase-orchestrator/worktrees/<id>/<run>.
    const root = await mkdtemp(join(tmpdir(), 'ipo-session-'));
    const repo = join(root, 'repo');
    const cache = join(root, 'cache');
    await mkdir(repo);
    await prepare(repo);
    const replay = await startReplayServer({ script });
    cleanups.push(async () => {
      await replay.close();
      await rm(root, { recursive: true, force: true });
    });
    const output: string[] = [];
    const io = { out: (t: string) => output.push(t), err: (t: string) => output.push(t), isTTY: false };
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ANTHROPIC_API_KEY: 'sk-ant-test-secret-key',
      ANTHROPIC_BASE_URL: replay.url,
      // Scripted 529s are written to outlast the SDK's retries; the longer overload waits are tested in test/agent.
      IPO_MODEL_OVERLOAD_WAIT_S: '0',
      XDG_CACHE_HOME: cache,
    };
    const deps = composeSession(io, env, { cwd: repo, actor: 'maintainer' });
    return {
      repo,
      cache,
      replay,
      output,
      start: (taskId = '1.3') => startSession(deps, taskId),
      give: (command, session) => giveCommand(deps, command, session),
    };
  };
}
