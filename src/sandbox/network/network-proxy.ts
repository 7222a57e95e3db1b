import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type Socket } from 'node:net';
import { type AllowEntry, matchAllowlist, normalizeHost } from '../../core/network/allow-entry.ts';
import { specialRange } from './special-address.ts';

/** How the proxy finds a name's addresses: the host's resolver (there is no DNS inside the sandbox). */
export type Resolve = (host: string) => Promise<ReadonlyArray<{ address: string }>>;

export interface ProxyLimits {
  /** A request head (line and headers) must arrive within this: a slowloris client is cut off. */
  headersTimeoutMs: number;
  /** Bytes of a request head, request line included; more is answered 431. */
  maxHeaderBytes: number;
  /** Time to open the upstream TCP connection. */
  connectTimeoutMs: number;
  /** Connections from one command at once. */
  maxConnections: number;
  /** Refusals kept per command (the rest are counted): a loop of attempts must not fill memory or the result. */
  maxRefusals: number;
}

export const PROXY_LIMITS: ProxyLimits = {
  headersTimeoutMs: 10_000,
  maxHeaderBytes: 16 * 1024,
  connectTimeoutMs: 10_000,
  maxConnections: 64,
  maxRefusals: 20,
};

export interface ProxyPolicy {
  allow: readonly AllowEntry[];
  resolve?: Resolve;
  limits?: Partial<ProxyLimits>;
}

/** One refused attempt: the host and port as the command asked for them, and why. */
export interface Refusal {
  host: string;
  port?: number;
  reason: string;
  /** How many identical attempts this stands for. */
  times: number;
}

/** What one command did through the proxy. */
export interface NetworkReport {
  refused: Refusal[];
  /** Refusals beyond `maxRefusals` distinct ones, not itemised. */
  moreRefused: number;
  /** Connections (tunnels and forwarded requests) let through. */
  allowed: number;
}

export interface ProxyListener {
  /** Stops listening, cuts every connection still open, and returns what the command did. */
  close(): Promise<NetworkReport>;
}

const HOP_BY_HOP = new Set([
  'connection',
  'proxy-connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-authenticate',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

const systemResolve: Resolve = (host) => dnsLookup(host, { all: true, verbatim: true });

/**
 * An HTTP proxy for one sandboxed command on the unix socket `socketPath`. It serves `CONNECT host:port` (HTTPS,
 * git over https) and absolute-URI plain-HTTP requests, resolves names itself, and connects only to an address the
 * allowlist allows: a name that resolves to loopback, link-local or a private range is refused unless the list names
 * that address too (or the name is `localhost`, for loopback). It opens TCP connections to allowed addresses and
 * nothing else: no files, no other sockets. Every refusal is recorded for the command's result.
 */
export async function listenProxy(socketPath: string, policy: ProxyPolicy): Promise<ProxyListener> {
  const limits = { ...PROXY_LIMITS, ...policy.limits };
  const resolve = policy.resolve ?? systemResolve;
  const report: NetworkReport = { refused: [], moreRefused: 0, allowed: 0 };
  const sockets = new Set<Socket>();
  /** Set by `close`: the command has ended, and a lookup still running must not lead to a connection. */
  let closed = false;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    return socket;
  };

  const refuse = (host: string, port: number | undefined, reason: string) => {
    const shownHost = host.length > 100 ? `${host.slice(0, 97)}...` : host;
    const same = report.refused.find((r) => r.host === shownHost && r.port === port && r.reason === reason);
    if (same) same.times += 1;
    else if (report.refused.length < limits.maxRefusals) {
      report.refused.push({ host: shownHost, ...(port === undefined ? {} : { port }), reason, times: 1 });
    } else report.moreRefused += 1;
    return `ipo sandbox: refused a connection to ${shownHost}${port === undefined ? '' : `:${port}`}: ${reason}\n`;
  };

  /** The addresses to try for an allowed target, or the reason it is refused. */
  const decide = async (
    host: string,
    port: number,
  ): Promise<{ ok: true; addresses: string[] } | { ok: false; reason: string }> => {
    const decision = matchAllowlist(policy.allow, host, port);
    if (!decision.allowed) return { ok: false, reason: decision.reason };
    // An address entry names its own address: connect to exactly that.
    if (decision.entry.kind === 'address') return { ok: true, addresses: [unbracket(host)] };
    let answers: ReadonlyArray<{ address: string }>;
    try {
      answers = await resolve(host);
    } catch {
      // No resolver error code here: in the command's output it would read as a lookup failing in the sandbox.
      return { ok: false, reason: "the name does not resolve on ipo's host" };
    }
    const refusedRanges: string[] = [];
    const addresses = answers
      .map((answer) => answer.address)
      .filter((address) => {
        const range = specialRange(address);
        if (range === undefined) return true;
        if (range === 'loopback' && host === 'localhost') return true;
        const literal = normalizeHost(net.isIPv6(address) ? `[${address}]` : address);
        if (literal !== undefined && matchAllowlist(policy.allow, literal, port).allowed) return true;
        refusedRanges.push(`${address} (${range})`);
        return false;
      });
    if (addresses.length > 0) return { ok: true, addresses };
    if (refusedRanges.length === 0) return { ok: false, reason: 'the name has no address' };
    return {
      ok: false,
      reason:
        `it resolves to ${refusedRanges.join(', ')}, which a name may not lead to; ` +
        'add that address to sandbox.network.allow to allow it',
    };
  };

  /**
   * A TCP connection to the first address that answers, for `client`. None once the command has ended or the client
   * has gone (its name may have taken longer to resolve than the command ran): it would be held open for nobody.
   */
  const connect = (addresses: readonly string[], port: number, client: Socket): Promise<Socket> =>
    addresses.reduce<Promise<Socket>>(
      (previous, address) =>
        previous.catch(
          () =>
            new Promise<Socket>((resolveSocket, reject) => {
              if (closed || client.destroyed) return reject(new Error('the command has ended'));
              const socket = track(net.connect({ host: address, port }));
              // Cut by `close` while connecting: no 'error' comes, so this settles the attempt.
              socket.once('close', () => reject(new Error('the command has ended')));
              socket.setTimeout(limits.connectTimeoutMs, () =>
                socket.destroy(new Error(`no answer within ${limits.connectTimeoutMs} ms`)),
              );
              socket.once('connect', () => {
                socket.setTimeout(0);
                if (closed || client.destroyed) {
                  socket.destroy();
                  return reject(new Error('the command has ended'));
                }
                resolveSocket(socket);
              });
              socket.once('error', reject);
            }),
        ),
      Promise.reject(new Error('no address')),
    );

  const onConnect = async (req: IncomingMessage, client: Socket, head: Buffer) => {
    track(client);
    client.on('error', () => client.destroy());
    const target = parseAuthority(req.url ?? '');
    if (!target.ok) {
      return answer(client, 400, refuse(req.url ?? '', undefined, target.reason));
    }
    const verdict = await decide(target.host, target.port);
    if (!verdict.ok) return answer(client, 403, refuse(target.host, target.port, verdict.reason));
    let upstream: Socket;
    try {
      upstream = await connect(verdict.addresses, target.port, client);
    } catch (error) {
      return answer(
        client,
        502,
        `ipo sandbox: could not reach ${target.host}:${target.port}: ${(error as Error).message}\n`,
      );
    }
    report.allowed += 1;
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) upstream.write(head);
    client.pipe(upstream).pipe(client);
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const refuseWith = (status: number, host: string, port: number | undefined, reason: string) => {
      res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' });
      res.end(refuse(host, port, reason));
    };
    const raw = req.url ?? '';
    // RFC 9112 §3.2.2: a proxy request carries the absolute URI; the Host header is not what decides (§3.2.2: a
    // proxy "MUST ignore the received Host header field" and use the URI's authority). An origin-form request
    // (`GET /` with `Host: …`) is not for a proxy at all: refused, so no Host header ever picks a target.
    let url: URL;
    try {
      url = new URL(raw);
      if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) throw new Error('not absolute');
    } catch {
      return refuseWith(
        400,
        String(req.headers.host ?? '(no host)'),
        undefined,
        'not a proxy request: give an absolute http:// URL, or CONNECT host:port for https',
      );
    }
    if (url.protocol !== 'http:') {
      return refuseWith(
        400,
        url.host || raw,
        undefined,
        `the proxy forwards http:// only (${url.protocol} refused; https goes through CONNECT)`,
      );
    }
    if (url.username !== '' || url.password !== '') {
      return refuseWith(400, url.host, undefined, 'a URL with user information is refused');
    }
    const host = normalizeHost(url.hostname);
    const port = url.port === '' ? 80 : Number(url.port);
    if (host === undefined) return refuseWith(400, url.hostname, port, 'not a host name');
    const verdict = await decide(host, port);
    if (!verdict.ok) return refuseWith(403, host, port, verdict.reason);
    let upstream: Socket;
    try {
      upstream = await connect(verdict.addresses, port, req.socket);
    } catch (error) {
      res.writeHead(502, { 'content-type': 'text/plain', connection: 'close' });
      return res.end(`ipo sandbox: could not reach ${host}:${port}: ${(error as Error).message}\n`);
    }
    report.allowed += 1;
    const headers = forwardHeaders(req.headers);
    headers.host = url.host;
    headers.connection = 'close';
    const forwarded = http.request({
      createConnection: () => upstream,
      method: req.method,
      path: `${url.pathname}${url.search}`,
      headers,
      setHost: false,
    });
    forwarded.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { connection: 'close' });
      res.destroy();
    });
    forwarded.on('response', (response) => {
      res.writeHead(response.statusCode ?? 502, forwardHeaders(response.headers));
      response.pipe(res);
    });
    req.pipe(forwarded);
  };

  const server = http.createServer({
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    // The whole-request limit would cut a long upload; the head's limit is what stops a slowloris client, and the
    // command's end closes whatever is left.
    requestTimeout: 0,
    connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
    keepAliveTimeout: 5000,
    // The URI decides the target, never the Host header: a request without one is judged (and logged) like any.
    requireHostHeader: false,
  });
  server.maxConnections = limits.maxConnections;
  server.on('connection', track);
  server.on('connect', (req, client, head) => void onConnect(req, client as Socket, head));
  server.on('request', (req, res) => void onRequest(req, res));
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    const tooBig = error.code === 'HPE_HEADER_OVERFLOW';
    const slow = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    const reason = tooBig
      ? `request head over ${limits.maxHeaderBytes} bytes`
      : slow
        ? `request head not complete within ${limits.headersTimeoutMs} ms`
        : `malformed request (${error.code ?? error.message})`;
    const text = refuse('(unparsed request)', undefined, reason);
    const status = tooBig
      ? '431 Request Header Fields Too Large'
      : slow
        ? '408 Request Timeout'
        : '400 Bad Request';
    if (socket.writable)
      socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-type: text/plain\r\n\r\n${text}`);
    socket.destroy();
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolveListen();
    });
  });

  return {
    close: () =>
      new Promise<NetworkReport>((resolveClose) => {
        closed = true;
        server.close(() => resolveClose(report));
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** `host:port` of a CONNECT request, strictly: a host (name, IPv4, or IPv6 in brackets) and a decimal port. */
function parseAuthority(
  authority: string,
): { ok: true; host: string; port: number } | { ok: false; reason: string } {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[^\s/?#@[\]:\\]+):([0-9]{1,5})$/.exec(authority);
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65535) return { ok: false, reason: 'CONNECT takes host:port' };
  const host = normalizeHost(match[1] ?? '');
  if (host === undefined) return { ok: false, reason: 'not a host name' };
  return { ok: true, host, port };
}

function answer(client: Socket, status: number, text: string): void {
  const words: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 502: 'Bad Gateway' };
  if (client.writable) {
    client.end(
      `HTTP/1.1 ${status} ${words[status] ?? ''}\r\ncontent-type: text/plain\r\nconnection: close\r\ncontent-length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
    );
  }
}

function unbracket(host: string): string {
  return host.startsWith('[') ? host.slice(1, -1) : host;
}

/** Headers without the hop-by-hop ones (RFC 9110 §7.6.1), including those the Connection header lists. */
function forwardHeaders(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const listed = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase()),
  );
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name) && !listed.has(name)) out[name] = value;
  }
  return out;
}
