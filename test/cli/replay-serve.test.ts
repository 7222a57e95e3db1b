import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCRIPT } from '../../src/cli/commands/demo.ts';
import { replayNotice } from '../../src/cli/replay-notice.ts';
import { cliEnv, createDemoRepo, IPO_BIN, runIpo } from './cli-fixtures.ts';

/** `ipo replay serve …` as a person's shell runs it, with its output gathered as it comes. */
function serve(args: readonly string[], cwd: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [IPO_BIN, 'replay', 'serve', ...args], { cwd, env });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => ({ stdout, stderr }),
    /** Waits until stdout shows `pattern` (or the process ends without it). */
    async waitFor(pattern: RegExp): Promise<RegExpMatchArray> {
      for (let i = 0; i < 300; i += 1) {
        const match = stdout.match(pattern);
        if (match) return match;
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`ipo replay serve never printed ${pattern}: ${stdout}${stderr}`);
    },
  };
}

describe('ipo replay serve', () => {
  let dir: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ipo-replay-serve-'));
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('serves a script that a real `ipo start` runs against, and on SIGINT exits 0 listing the turns not used', async () => {
    const repo = await createDemoRepo(join(dir, 'repo'));
    const server = serve([DEMO_SCRIPT], dir, cliEnv(dir));
    children.push(server.child);
    const [, url] = await server.waitFor(
      /export ANTHROPIC_BASE_URL=(http:\/\/127\.0\.0\.1:\d+) ANTHROPIC_API_KEY=replay\n/,
    );
    expect(server.output().stdout).toContain(`as the Anthropic Messages API at ${url}`);

    const started = await runIpo(
      ['start', '1.3'],
      repo,
      cliEnv(dir, { ANTHROPIC_BASE_URL: String(url), ANTHROPIC_API_KEY: 'replay' }),
    );
    expect(started.stderr).toBe('');
    expect(started.code).toBe(0);
    expect(started.stdout).toContain(
      `Model responses are REPLAYED from ${DEMO_SCRIPT} by a local Messages API at ${url} (ipo replay serve), not the Anthropic API.`,
    );
    expect(started.stdout).toContain('✓ alignment attempt 1 succeeded');

    server.child.kill('SIGINT');
    expect(await server.exited).toBe(0);
    const { stdout, stderr } = server.output();
    expect(stderr).toBe('');
    // Alignment used its three turns; the later phases were never asked for.
    expect(stdout).toContain('Stopped by SIGINT after 3 request(s).');
    expect(stdout).toContain(
      [
        'Not used: 6 turn(s) of the script; the phases asked fewer or different questions than scripted:',
        '  conversation "implementation" turn 0',
        '  conversation "implementation" turn 1',
        '  conversation "implementation" turn 2',
        '  conversation "implementation" turn 3',
        '  conversation "verification" turn 0',
        '  conversation "verification" turn 1',
      ].join('\n'),
    );
  });

  it('stops on SIGTERM with exit 0, and reports a request no turn matched as refused', async () => {
    const server = serve([DEMO_SCRIPT, '--port', '0'], dir, cliEnv(dir));
    children.push(server.child);
    const [, url] = await server.waitFor(/at (http:\/\/127\.0\.0\.1:\d+)\n/);
    const response = await fetch(`${url}/v1/messages`, {
      method: 'POST',
      headers: {
        'x-api-key': 'replay',
        'content-type': 'application/json',
        'anthropic-version': '2023-06-01',
      },
      body: JSON.stringify({
        model: 'claude-test',
        max_tokens: 100,
        system: 'a phase nobody scripted',
        messages: [{ role: 'user', content: 'hello' }],
      }),
    });
    expect(response.status).toBe(400);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const { stdout } = server.output();
    expect(stdout).toContain('Stopped by SIGTERM after 1 request(s).');
    expect(stdout).toMatch(
      /Refused 1 request\(s\) \(the phase saw these as API errors\):\n {2}POST \/v1\/messages → 400: /,
    );
  });

  it('--check names the line and field of each problem of a broken script, and exits 1', async () => {
    const path = join(dir, 'broken.yaml');
    await writeFile(
      path,
      [
        'version: 1',
        'conversations:',
        '  - name: alignment',
        '    turns:',
        '      - expect: { contain: [AC-1] }',
        '        response:',
        '          content:',
        '            - { type: tool_use, name: read_file, input: {} }',
      ].join('\n'),
    );

    const result = await runIpo(['replay', 'serve', '--check', 'broken.yaml'], dir, cliEnv(dir));

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      [
        'broken.yaml:5: conversations[0].turns[0].expect.contain: unknown field "contain" (a typo? see docs/replay-scripts.md)',
        'broken.yaml:8: conversations[0].turns[0].response.content[0].id: missing: a string is required here',
        'ipo: replay script broken.yaml has 2 problems (listed above); the format is described in docs/replay-scripts.md',
        '',
      ].join('\n'),
    );
  });

  it('--check accepts the demo script and says what it holds', async () => {
    const result = await runIpo(['replay', 'serve', '--check', DEMO_SCRIPT], dir, cliEnv(dir));

    expect(result).toEqual({
      code: 0,
      stdout: `${DEMO_SCRIPT}: valid, 3 conversation(s), 9 turn(s): alignment (3), implementation (4), verification (2)\n`,
      stderr: '',
    });
  });

  it('says a missing script file is missing and where it looked', async () => {
    const result = await runIpo(['replay', 'serve', 'nope.yaml'], dir, cliEnv(dir));

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `ipo: replay script nope.yaml not found (looked at ${join(dir, 'nope.yaml')}): give the path of a .yaml, .yml or .json script; the format is described in docs/replay-scripts.md\n`,
    );
  });
});

describe('replayNotice', () => {
  let proxy: Server;
  let proxyUrl: string;

  beforeAll(async () => {
    // A local gateway in front of the real API: loopback, but not a replay.
    proxy = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"type":"error"}');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

  it('does not call a loopback proxy that is not a replay server replayed', async () => {
    expect(await replayNotice({ ANTHROPIC_BASE_URL: proxyUrl })).toBeUndefined();
    expect(await replayNotice({})).toBeUndefined();
  });
});
