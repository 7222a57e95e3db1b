import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseAllowEntry } from '../../src/core/network/allow-entry.ts';
import {
  listenProxy,
  type NetworkReport,
  type ProxyListener,
  type ProxyPolicy,
} from '../../src/sandbox/network/network-proxy.ts';
import { specialRange } from '../../src/sandbox/network/special-address.ts';

/**
 * The proxy on its unix socket, driven with raw bytes from the host (no sandbox needed): what a command inside
 * could send through the bridge. Names resolve through a table passed as the proxy's resolver, so an "allowed name
 * whose DNS answer is loopback" is the answer an attacker's DNS would give.
 */
let dir: string;
/** An HTTP server on the host's loopback that records what reached it. */
let web: http.Server;
let webPort: number;
const webHits: { url?: string; host?: string }[] = [];
/** A plain TCP echo server: enough to prove a CONNECT tunnel carries bytes both ways. */
let echo: net.Server;
let echoPort: number;
let listener: ProxyListener | undefined;
let count = 0;

const DNS: Record<string, string[]> = {
  'rebind.example': ['127.0.0.1'],
  'v6-loopback.example': ['::1'],
  'metadata.example': ['169.254.169.254'],
  'v6-link-local.example': ['fe80::1'],
  'private.example': ['10.1.2.3'],
  'mapped.example': ['::ffff:127.0.0.1'],
  'wireserver.example': ['168.63.129.16'],
  'pinned.example': ['127.0.0.1'],
  // ::1 first: the echo server listens on 127.0.0.1 only, so the proxy must fall back to the next address.
  localhost: ['::1', '127.0.0.1'],
};
const resolve: ProxyPolicy['resolve'] = async (host) => {
  // A slow resolver: the command can end while the proxy still waits for the answer.
  if (host === 'slow.example') await new Promise((r) => setTimeout(r, 300));
  const answers = host === 'slow.example' ? ['127.0.0.1'] : DNS[host];
  if (!answers) throw Object.assign(new Error(`no such host ${host}`), { code: 'ENOTFOUND' });
  return answers.map((address) => ({ address }));
};

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ipo-proxy-'));
  web = http.createServer((req, res) => {
    webHits.push({ url: req.url, host: req.headers.host });
    res.end(`web saw ${req.method} ${req.url}\n`);
  });
  echo = net.createServer((socket) => socket.pipe(socket));
  await Promise.all([
    new Promise<void>((r) => web.listen(0, '127.0.0.1', r)),
    new Promise<void>((r) => echo.listen(0, '127.0.0.1', r)),
  ]);
  webPort = (web.address() as net.AddressInfo).port;
  echoPort = (echo.address() as net.AddressInfo).port;
});
afterEach(async () => {
  await listener?.close();
  listener = undefined;
  webHits.length = 0;
});
afterAll(async () => {
  web.close();
  echo.close();
  await fs.rm(dir, { recursive: true, force: true });
});

async function proxy(allow: string[], limits?: ProxyPolicy['limits']): Promise<string> {
  count += 1;
  const socket = path.join(dir, `p${count}.sock`);
  listener = await listenProxy(socket, { allow: allow.map(parseAllowEntry), resolve, limits });
  return socket;
}

/** Sends `text` and collects everything until the proxy closes the connection (or `waitMs` passes). */
function exchange(
  socketPath: string,
  text: string,
  waitMs = 3000,
): Promise<{ reply: string; closed: boolean }> {
  return new Promise((done) => {
    const socket = net.connect(socketPath);
    let reply = '';
    const timer = setTimeout(() => {
      socket.destroy();
      done({ reply, closed: false });
    }, waitMs);
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      done({ reply, closed: true });
    });
    socket.write(text);
  });
}

async function report(): Promise<NetworkReport> {
  const closing = listener;
  listener = undefined;
  if (!closing) throw new Error('no proxy');
  return closing.close();
}

describe('the network proxy', () => {
  it('tunnels a CONNECT to an allowed host:port, both ways (a TCP echo server answers through it)', async () => {
    const socket = await proxy([`127.0.0.1:${echoPort}`]);
    const { reply } = await new Promise<{ reply: string }>((done) => {
      const client = net.connect(socket);
      let reply = '';
      client.on('data', (chunk) => {
        reply += chunk.toString();
        if (reply.includes('\r\n\r\n') && !reply.includes('ping')) client.write('ping');
        if (reply.endsWith('ping')) {
          client.destroy();
          done({ reply });
        }
      });
      client.write(`CONNECT 127.0.0.1:${echoPort} HTTP/1.1\r\nHost: 127.0.0.1:${echoPort}\r\n\r\n`);
    });
    expect(reply).toBe('HTTP/1.1 200 Connection Established\r\n\r\nping');
    expect(await report()).toEqual({ refused: [], moreRefused: 0, allowed: 1 });
  });

  it.each([
    ['rebind.example', 'loopback'],
    ['v6-loopback.example', 'loopback'],
    ['metadata.example', 'link-local (cloud metadata)'],
    ['v6-link-local.example', 'link-local'],
    ['private.example', 'private'],
    ['mapped.example', 'loopback'],
    ['wireserver.example', 'Azure WireServer (cloud metadata)'],
  ])('refuses an allowed name whose DNS answer is special: %s (%s)', async (name, range) => {
    const socket = await proxy([`${name}:${echoPort}`]);
    const { reply } = await exchange(socket, `CONNECT ${name}:${echoPort} HTTP/1.1\r\n\r\n`);
    expect(reply).toMatch(/^HTTP\/1\.1 403 /);
    expect(reply).toContain(`(${range}), which a name may not lead to`);
    const { refused, allowed } = await report();
    expect(allowed).toBe(0);
    expect(refused).toEqual([
      { host: name, port: echoPort, reason: expect.stringContaining(`(${range})`), times: 1 },
    ]);
  });

  it('lets a name reach a special address when the list names that address too (or the name is localhost)', async () => {
    for (const [entries, target] of [
      [[`pinned.example:${echoPort}`, `127.0.0.1:${echoPort}`], `pinned.example:${echoPort}`],
      [[`localhost:${echoPort}`], `localhost:${echoPort}`],
    ] as const) {
      const socket = await proxy([...entries]);
      const { reply } = await exchange(socket, `CONNECT ${target} HTTP/1.1\r\n\r\n`, 500);
      expect(reply).toBe('HTTP/1.1 200 Connection Established\r\n\r\n');
      expect((await report()).allowed).toBe(1);
    }
  });

  it.each([
    [
      'another port of an allowed address',
      () => `CONNECT 127.0.0.1:${webPort} HTTP/1.1\r\n\r\n`,
      403,
      () => `allows 127.0.0.1 on port ${echoPort} only`,
    ],
    [
      'a host not in the list',
      () => 'CONNECT evil.example:443 HTTP/1.1\r\n\r\n',
      403,
      'not in sandbox.network.allow',
    ],
    [
      'user information in the authority',
      () => `CONNECT evil.example:443@127.0.0.1:${echoPort} HTTP/1.1\r\n\r\n`,
      400,
      'CONNECT takes host:port',
    ],
    [
      'a unix socket path',
      () => 'CONNECT /var/run/docker.sock HTTP/1.1\r\n\r\n',
      400,
      'CONNECT takes host:port',
    ],
    [
      'an origin-form request routed by its Host header',
      () => `GET / HTTP/1.1\r\nHost: 127.0.0.1:${echoPort}\r\n\r\n`,
      400,
      'not a proxy request',
    ],
    [
      'an absolute URI to a refused host with an allowed Host header',
      () => `GET http://evil.example/ HTTP/1.1\r\nHost: 127.0.0.1:${echoPort}\r\n\r\n`,
      403,
      'refused a connection to evil.example:80: not in sandbox.network.allow',
    ],
    [
      'a URL whose user information names the allowed host',
      () => `GET http://127.0.0.1:${echoPort}@evil.example/ HTTP/1.1\r\n\r\n`,
      400,
      'user information',
    ],
    [
      'a file: URL (the proxy never reads a file)',
      () => 'GET file:///etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n',
      400,
      'forwards http:// only',
    ],
  ])('refuses %s', async (_what, request, status, words) => {
    const socket = await proxy([`127.0.0.1:${echoPort}`]);
    const { reply, closed } = await exchange(socket, request());
    expect(reply).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(reply).toContain(typeof words === 'function' ? words() : words);
    expect(reply).not.toContain('root:');
    expect(closed).toBe(true);
    expect((await report()).refused).toHaveLength(1);
    expect(webHits).toEqual([]);
  });

  it('forwards an absolute-URI request to the URI’s host, whatever its Host header says', async () => {
    const socket = await proxy([`127.0.0.1:${webPort}`]);
    const { reply } = await exchange(
      socket,
      `GET http://127.0.0.1:${webPort}/path?q=1 HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n`,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 200 /);
    expect(reply).toContain('web saw GET /path?q=1');
    expect(webHits).toEqual([{ url: '/path?q=1', host: `127.0.0.1:${webPort}` }]);
  });

  it('answers an oversized request head with 431 at once and logs it', async () => {
    const socket = await proxy([`127.0.0.1:${webPort}`]);
    const started = Date.now();
    const { reply, closed } = await exchange(
      socket,
      `GET http://127.0.0.1:${webPort}/${'a'.repeat(100_000)} HTTP/1.1\r\n\r\n`,
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(closed).toBe(true);
    expect(reply).toMatch(/^HTTP\/1\.1 431 /);
    expect((await report()).refused[0]?.reason).toBe('request head over 16384 bytes');
    expect(webHits).toEqual([]);
  });

  it('cuts a slowloris client that never finishes its request head', async () => {
    const socket = await proxy([`127.0.0.1:${webPort}`], { headersTimeoutMs: 300 });
    const started = Date.now();
    const { closed } = await exchange(socket, 'CONNECT 127.0.0.1:', 5000);
    expect(closed).toBe(true);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('keeps a bounded log: repeats are counted, and refusals past the limit only counted', async () => {
    const socket = await proxy([], { maxRefusals: 2 });
    for (const host of ['a.example', 'a.example', 'b.example', 'c.example', 'd.example']) {
      await exchange(socket, `CONNECT ${host}:443 HTTP/1.1\r\n\r\n`);
    }
    const { refused, moreRefused } = await report();
    expect(refused.map((r) => [r.host, r.times])).toEqual([
      ['a.example', 2],
      ['b.example', 1],
    ]);
    expect(moreRefused).toBe(2);
  });

  it.each([
    ['a CONNECT tunnel', (port: number) => `CONNECT slow.example:${port} HTTP/1.1\r\n\r\n`],
    ['a forwarded http:// request', (port: number) => `GET http://slow.example:${port}/ HTTP/1.1\r\n\r\n`],
  ])(
    'opens no connection once closed, even for %s whose name was still resolving',
    async (_what, request) => {
      let opened = 0;
      let open = 0;
      const target = net.createServer((s) => {
        opened += 1;
        open += 1;
        s.on('close', () => {
          open -= 1;
        });
        s.on('error', () => {});
      });
      await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
      const port = (target.address() as net.AddressInfo).port;
      try {
        // The address too: the name resolves to loopback, which only a listed address may be.
        const socket = await proxy([`slow.example:${port}`, `127.0.0.1:${port}`]);
        const client = net.connect(socket);
        client.on('error', () => {});
        client.write(request(port));
        await new Promise((r) => setTimeout(r, 50));
        await report();
        // Past the resolver's 300 ms: a connection opened after the command ended would be held open here.
        await new Promise((r) => setTimeout(r, 600));
        expect({ opened, open }).toEqual({ opened: 0, open: 0 });
      } finally {
        target.close();
      }
    },
  );

  it('removes its socket and cuts open tunnels when closed', async () => {
    const socket = await proxy([`127.0.0.1:${echoPort}`]);
    const tunnel = net.connect(socket);
    const ended = new Promise((r) => tunnel.on('close', r));
    tunnel.write(`CONNECT 127.0.0.1:${echoPort} HTTP/1.1\r\n\r\n`);
    await new Promise((r) => tunnel.once('data', r));
    await report();
    await ended;
    expect(existsSync(socket)).toBe(false);
  });
});

describe('specialRange', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['fe80::1', 'link-local'],
    ['fd00:ec2::254', 'private (unique local)'],
    ['10.0.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.100.100.200', 'shared (carrier-grade NAT)'],
    ['0.0.0.0', 'this-network'],
    ['::', 'unspecified'],
    ['168.63.129.16', 'Azure WireServer (cloud metadata)'],
    ['224.0.0.1', 'multicast'],
    ['not-an-ip', 'not an IP address'],
    ['104.16.0.35', undefined],
    ['2606:4700::6810:2308', undefined],
    ['172.32.0.1', undefined],
  ])('%s → %s', (address, range) => {
    expect(specialRange(address)).toBe(range);
  });
});
