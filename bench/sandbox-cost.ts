import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildCommandEnv } from '../src/agent/tools/command-env.ts';
import { runProcess } from '../src/agent/tools/run-process.ts';
import { openSandbox } from '../src/sandbox/open-sandbox.ts';
import { DEFAULT_BWRAP_PATH } from '../src/sandbox/probe-bwrap.ts';
import { type Sandbox, unsandboxed } from '../src/sandbox/sandbox.ts';

export interface SandboxCostFigures {
  command: string;
  sandboxedMs: number[];
  unsandboxedMs: number[];
}

/**
 * The sandbox's cost per command: the demo repository's `npm test` through `runProcess` under bubblewrap and bare,
 * alternating (so drift in the machine's load hits both), in a git checkout of examples/demo-repo like a phase's.
 */
export async function measureSandboxCost(rounds: number): Promise<SandboxCostFigures> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'ipo-bench-sandbox-')));
  try {
    await cp(new URL('../examples/demo-repo/', import.meta.url), dir, { recursive: true });
    execFileSync('git', ['init', '-q', dir]);
    const sandbox = await openSandbox(
      { required: true, network: { allow: [], setup: [] } },
      { bwrapPath: DEFAULT_BWRAP_PATH },
      dir,
    );
    const bare = unsandboxed('this is the bench baseline');
    const command = 'npm test';
    const exitCodes = new Set<number>();
    const once = async (s: Sandbox) => {
      const started = performance.now();
      const result = await runProcess({
        file: '/bin/sh',
        args: ['-c', command],
        cwd: dir,
        env: buildCommandEnv(process.env),
        timeoutMs: 60_000,
        capBytes: 4096,
        sandbox: s,
      });
      // The demo's tests fail on purpose before its task is done; what counts is the same run in both modes.
      if (result.exitCode === null)
        throw new Error(`${command} did not finish (${s.mode}): ${result.output}`);
      exitCodes.add(result.exitCode);
      return performance.now() - started;
    };
    await once(sandbox); // warm-up: page cache and npm's first start
    const figures: SandboxCostFigures = { command, sandboxedMs: [], unsandboxedMs: [] };
    for (let i = 0; i < rounds; i++) {
      figures.sandboxedMs.push(await once(sandbox));
      figures.unsandboxedMs.push(await once(bare));
    }
    if (exitCodes.size > 1)
      throw new Error(`${command} exited differently sandboxed and bare: ${[...exitCodes]}`);
    return figures;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
