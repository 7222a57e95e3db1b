import { mkdtemp, realpath, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runProcess } from '../src/agent/tools/run-process.ts';
import { openSandbox } from '../src/sandbox/open-sandbox.ts';
import { DEFAULT_BWRAP_PATH } from '../src/sandbox/probe-bwrap.ts';
import { type Sandbox, unsandboxed, usingSandbox } from '../src/sandbox/sandbox.ts';

export interface ProxyCostFigures {
  /** `true` in a sandbox with an allowlist (bridge started) vs without one. */
  bridgedMs: number[];
  plainMs: number[];
  /** One curl request: through the sandbox's proxy vs bare, to the same server on the host's 127.0.0.1. */
  proxiedRequestMs: number[];
  directRequestMs: number[];
}

/**
 * What `sandbox.network.allow` costs a command: the bridge's start (a node process before the command) and one
 * HTTP request through bridge and proxy, each against its baseline, alternating so load drift hits both.
 */
export async function measureProxyCost(rounds: number): Promise<ProxyCostFigures> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'ipo-bench-proxy-')));
  const server = http.createServer((_req, res) => res.end('ok\n'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const host = { bwrapPath: DEFAULT_BWRAP_PATH };
  const settings = { required: true, network: { allow: [], setup: [] } };
  try {
    const plain = await openSandbox(settings, host, dir);
    return await usingSandbox(
      await openSandbox(settings, host, dir, { allow: [`127.0.0.1:${port}`] }),
      async (bridged) => {
        const bare = unsandboxed('this is the bench baseline');
        const time = async (sandbox: Sandbox, command: string) => {
          const started = performance.now();
          const result = await runProcess({
            file: '/bin/sh',
            args: ['-c', command],
            cwd: dir,
            env: { PATH: '/usr/bin:/bin' },
            timeoutMs: 30_000,
            capBytes: 4096,
            sandbox,
          });
          if (result.exitCode !== 0) throw new Error(`${command} failed (${sandbox.mode}): ${result.output}`);
          return performance.now() - started;
        };
        const curl = `curl -sS --noproxy '' http://127.0.0.1:${port}/`;
        await time(bridged, curl); // warm-up
        const figures: ProxyCostFigures = {
          bridgedMs: [],
          plainMs: [],
          proxiedRequestMs: [],
          directRequestMs: [],
        };
        for (let i = 0; i < rounds; i++) {
          figures.bridgedMs.push(await time(bridged, 'true'));
          figures.plainMs.push(await time(plain, 'true'));
          // The request's own cost: a command of one request minus the same sandbox's empty command.
          figures.proxiedRequestMs.push((await time(bridged, curl)) - (figures.bridgedMs.at(-1) ?? 0));
          figures.directRequestMs.push(await time(bare, curl.replace("--noproxy ''", '')));
        }
        return figures;
      },
    );
  } finally {
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
}
