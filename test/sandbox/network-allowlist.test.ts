import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCommandEnv } from '../../src/agent/tools/command-env.ts';
import { createRunCommandTool } from '../../src/agent/tools/run-command.ts';
import { createWorkspace, type Workspace } from '../../src/agent/tools/workspace.ts';
import { openPhaseSandbox } from '../../src/phases/open-phase-sandbox.ts';
import { runChecks } from '../../src/phases/verification/run-checks.ts';
import { openSandbox, sandboxHostFrom } from '../../src/sandbox/open-sandbox.ts';
import type { Sandbox } from '../../src/sandbox/sandbox.ts';
import { parseConfig } from '../../src/settings/parse-config.ts';
import { ConfigError } from '../../src/state/state-error.ts';
import { outcomeText, runTool } from '../agent/tools/workspace-fixture.ts';
import { realSandbox } from '../support/test-sandbox.ts';

/**
 * `sandbox.network.allow` under the real bubblewrap: the command's only way out is ipo's proxy, reached through the
 * bridge the sandbox starts before it. The "allowed hosts" are servers on the host's 127.0.0.1, which a sandboxed
 * command can otherwise never reach (its loopback is its own).
 */
let root: string;
let web: http.Server;
let webPort: number;
let echo: net.Server;
let echoPort: number;
/** A second host-loopback service, deliberately not on the list. */
let secret: http.Server;
let secretPort: number;
let sandbox: Sandbox;
let ws: Workspace;

const listen = async <S extends net.Server>(server: S): Promise<[S, number]> => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return [server, (server.address() as net.AddressInfo).port];
};

beforeAll(async () => {
  root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'ipo-net-ws-')));
  execFileSync('git', ['init', '-q', root]);
  [web, webPort] = await listen(http.createServer((req, res) => res.end(`allowed server saw ${req.url}\n`)));
  [echo, echoPort] = await listen(net.createServer((socket) => socket.pipe(socket)));
  [secret, secretPort] = await listen(http.createServer((_req, res) => res.end('host secret\n')));
  sandbox = await realSandbox(root, [`127.0.0.1:${webPort}`, `127.0.0.1:${echoPort}`]);
  ws = await createWorkspace(root, {
    commandEnv: buildCommandEnv(process.env),
    sandbox,
    commandTimeoutMs: 20_000,
  });
});
afterAll(async () => {
  await sandbox.close();
  for (const server of [web, echo, secret]) server.close();
  await fs.rm(root, { recursive: true, force: true });
});

const run = async (command: string) => outcomeText(await runTool(createRunCommandTool(ws), { command }));

/** Node's http client, given the proxy from the environment by hand (Node 20's http ignores HTTP_PROXY). */
const NODE_GET = `
const http = require('node:http');
const proxy = new URL(process.env.HTTP_PROXY);
http.get({ host: proxy.hostname, port: proxy.port, path: process.argv[1] }, (res) => {
  let body = ''; res.on('data', (c) => (body += c)); res.on('end', () => console.log(res.statusCode, body.trim()));
}).on('error', (e) => { console.log('error', e.message); process.exit(1); });`;

/** A raw CONNECT tunnel through the proxy, then a line echoed back: what an HTTPS client or git does first. */
const NODE_TUNNEL = `
const net = require('node:net');
const proxy = new URL(process.env.HTTPS_PROXY);
const s = net.connect(Number(proxy.port), proxy.hostname, () => s.write('CONNECT ' + process.argv[1] + ' HTTP/1.1\\r\\n\\r\\n'));
let got = '';
s.on('data', (d) => { got += d; if (got.endsWith('\\r\\n\\r\\n')) s.write('hello through the tunnel'); if (got.includes('hello')) { console.log(JSON.stringify(got)); s.destroy(); } });
s.on('close', () => { if (!got.includes('hello')) console.log(JSON.stringify(got)); });`;

describe('a sandbox with sandbox.network.allow', () => {
  it('lets curl reach an allowed server through the proxy (HTTP_PROXY is set for it)', async () => {
    if (!existsSync('/usr/bin/curl')) throw new Error('this test needs curl at /usr/bin/curl');
    // The host's loopback is named on the list, so the command chooses the proxy for it (NO_PROXY covers the
    // sandbox's own loopback by default).
    const text = await run(`curl -sS --noproxy '' http://127.0.0.1:${webPort}/via-curl`);
    expect(text).toMatch(/^exit code 0 /);
    expect(text).toContain('allowed server saw /via-curl');
    expect(text).not.toContain('[ipo sandbox: refused');
  });

  it('lets node’s http client reach an allowed server through the proxy named in HTTP_PROXY', async () => {
    const text = await run(`node -e "${NODE_GET.replace(/"/g, '\\"')}" http://127.0.0.1:${webPort}/via-node`);
    expect(text).toContain('200 allowed server saw /via-node');
  });

  it('tunnels a CONNECT to an allowed host:port (a TCP echo server answers through it)', async () => {
    const text = await run(`node -e "${NODE_TUNNEL.replace(/"/g, '\\"')}" 127.0.0.1:${echoPort}`);
    expect(text).toContain('HTTP/1.1 200 Connection Established\\r\\n\\r\\nhello through the tunnel');
  });

  it('refuses a host not on the list and says so in the tool result', async () => {
    const text = await run(
      `curl -sS https://evil.example/; curl -sS --noproxy '' http://127.0.0.1:${secretPort}/; echo done`,
    );
    expect(text).not.toContain('host secret');
    expect(text).toContain(
      '[ipo sandbox: refused a connection to evil.example:443: not in sandbox.network.allow]',
    );
    expect(text).toContain(
      `[ipo sandbox: refused a connection to 127.0.0.1:${secretPort}: sandbox.network.allow allows 127.0.0.1 on port ${webPort}, ${echoPort} only]`,
    );
  });

  it('cannot reach the host’s loopback services without the proxy: the sandbox’s 127.0.0.1 is its own', async () => {
    const text = await run(
      `curl -sS --noproxy '*' --max-time 5 http://127.0.0.1:${webPort}/direct; curl -sS --noproxy '*' --max-time 5 http://127.0.0.1:${secretPort}/; echo "exit=$?"`,
    );
    expect(text).not.toContain('allowed server saw /direct');
    expect(text).not.toContain('host secret');
    expect(text).toMatch(/Failed to connect to 127\.0\.0\.1 port \d+.*Couldn't connect to server/);
    expect(text).toContain('exit=7');
  });

  it('refuses a direct connection to the outside: no route, and the note names the proxy and the list', async () => {
    const text = await run('curl -sS --noproxy "*" --max-time 5 https://registry.npmjs.org/');
    expect(text).toMatch(/Could not resolve host/);
    expect(text).toContain(
      '[ipo sandbox: blocked a direct network connection: the network is reachable only',
    );
  });

  it('cannot replace the bridge script or the proxy socket: the next command still goes through ipo’s proxy', async () => {
    const tamper = await run(
      'for f in /run/ipo-net/bridge.mjs /run/ipo-net/proxy.sock; do ' +
        '(echo evil > $f) 2>/dev/null && echo "wrote $f"; rm -f $f 2>/dev/null && echo "removed $f"; ' +
        'mv $f /tmp/x 2>/dev/null && echo "moved $f"; done; ' +
        'echo evil > /run/ipo-net/planted; echo tried',
    );
    expect(tamper).toContain('tried');
    expect(tamper).not.toMatch(/wrote|removed|moved/);
    // What it could add beside them is in its own sandbox's root, gone with it: each command gets a fresh one.
    const text = await run(`ls /run/ipo-net; curl -sS --noproxy '' http://127.0.0.1:${webPort}/after-tamper`);
    expect(text).toContain('bridge.mjs\nproxy.sock\nallowed server saw /after-tamper');
  });

  it('passes on the command’s exit code and death by signal through the bridge', async () => {
    expect(await run('exit 7')).toMatch(/^exit code 7 /);
    expect(await run('kill -TERM $$')).toMatch(/^exit code 143 /);
  });

  it('tells the model, in run_command’s description, which hosts the proxy reaches', () => {
    const tool = createRunCommandTool(ws);
    if (!('description' in tool)) throw new Error('run_command is not a custom tool');
    expect(tool.description).toContain(
      `the network is off except through the proxy in HTTPS_PROXY/HTTP_PROXY (already set), which reaches only 127.0.0.1:${webPort}`,
    );
  });

  it('logs a refused host in the verification check’s outputTail', async () => {
    const [check] = await runChecks({
      commands: ['curl -sS https://evil.example/ || echo "curl failed"'],
      cwd: root,
      env: buildCommandEnv(process.env),
      sandbox,
      timeoutMs: 20_000,
    });
    expect(check?.outputTail).toContain(
      '[ipo sandbox: refused a connection to evil.example:443: not in sandbox.network.allow]',
    );
  });
});

describe('closing a sandbox with an allowlist', () => {
  it('stops the proxy and removes its private directory (mode 0700, outside the workspace)', async () => {
    const own = await realSandbox(root, [`127.0.0.1:${webPort}`]);
    const wrapped = await own.wrap({ file: '/bin/true', args: [], cwd: root, env: {} });
    const bind = wrapped.args.indexOf('/run/ipo-net/proxy.sock');
    const socket = wrapped.args[bind - 1] ?? '';
    const dir = path.dirname(socket);
    expect((await fs.stat(dir)).mode & 0o777).toBe(0o700);
    expect(path.relative(root, dir).startsWith('..')).toBe(true);
    expect(existsSync(socket)).toBe(true);
    await own.close();
    expect(existsSync(dir)).toBe(false);
    expect(await wrapped.finish()).toEqual({ refused: [], moreRefused: 0, allowed: 0 });
  });

  it('changes nothing with an empty list: no proxy socket, no bridge, bwrap runs the command itself', async () => {
    const plain = await realSandbox(root);
    const wrapped = await plain.wrap({ file: '/bin/true', args: [], cwd: root, env: {} });
    expect(wrapped.args.join(' ')).not.toContain('/run/ipo-net');
    expect(wrapped.args.slice(-2)).toEqual(['--', '/bin/true']);
    expect(await wrapped.finish()).toBeUndefined();
  });

  it('replaces the config’s list with the one given to openSandbox (a set-up step adds its registry)', async () => {
    const settings = parseConfig('sandbox:\n  network:\n    allow: [registry.npmjs.org]\n').sandbox;
    const own = await openSandbox(settings, sandboxHostFrom({}), root, {
      allow: ['registry.npmjs.org', `127.0.0.1:${webPort}`],
    });
    try {
      expect(own.networkAllow).toEqual(['registry.npmjs.org', `127.0.0.1:${webPort}`]);
    } finally {
      await own.close();
    }
  });
});

describe('sandbox.network.allow in .github/ipo.yml', () => {
  const load = (entry: string) =>
    parseConfig(`sandbox:\n  network:\n    allow: [${JSON.stringify(entry)}]\n`);

  it.each([
    'registry.npmjs.org',
    '*.pythonhosted.org',
    'npm.corp.example:8443',
    '10.0.0.5',
    '[fd00::1]:8080',
  ])('accepts %s', (entry) => {
    expect(load(entry).sandbox.network.allow).toEqual([entry]);
  });

  it.each([
    [
      'https://registry.npmjs.org/',
      'expected the host name, `registry.npmjs.org`, not a URL, got "https://registry.npmjs.org/"',
    ],
    ['registry.npmjs.org/npm', 'expected the host name alone, `registry.npmjs.org`, without a path'],
    ['*', 'expected a wildcard only as `*.` before a domain'],
    ['fd00::1', 'expected an IPv6 address in brackets, `[fd00::1]`'],
    ['npm.corp.example:70000', 'expected a port from 1 to 65535'],
  ])('refuses %j, naming the entry and what to write instead', (entry, message) => {
    let error: unknown;
    try {
      load(entry);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(`sandbox.network.allow[0]: ${message}`);
  });

  it('is not enforced without the sandbox, and the unsandboxed warning says so', async () => {
    const settings = parseConfig(
      'sandbox:\n  required: false\n  network:\n    allow: [registry.npmjs.org]\n',
    ).sandbox;
    const missingBwrap = sandboxHostFrom({ IPO_BWRAP_PATH: '/nonexistent/ipo-test/bwrap' });
    const bare = await openSandbox(settings, missingBwrap, root);
    expect(bare.mode).toBe('unsandboxed');
    expect(bare.warning).toContain('sandbox.network.allow is NOT enforced without the sandbox');
    // What the phase records for the ledger and every status surface says so too.
    const ctx = {
      config: parseConfig('sandbox:\n  required: false\n  network:\n    allow: [registry.npmjs.org]\n'),
      sandboxHost: missingBwrap,
      workspace: root,
      sandboxUse: {} as { unsandboxed?: string },
    };
    const opened = await openPhaseSandbox(ctx, 'verification');
    expect(opened.ok).toBe(true);
    expect(ctx.sandboxUse.unsandboxed).toContain('sandbox.network.allow was NOT enforced');
  });
});
