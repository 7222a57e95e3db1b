import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface GitCgiRequest {
  /** Directory holding `<owner>/<repo>.git`: `GIT_PROJECT_ROOT`. */
  root: string;
  /** e.g. `/octo/demo.git/info/refs`. */
  pathInfo: string;
  /** The raw query string without `?`. */
  query: string;
  /** Set only for an authenticated request: git http-backend enables receive-pack (push) only then. */
  remoteUser?: string;
  /** More environment for http-backend and the receive-pack it runs (e.g. hook config). */
  env?: Readonly<Record<string, string>>;
}

/** True when the request is part of a push (receive-pack), which needs credentials. */
export function isPushRequest(pathInfo: string, query: URLSearchParams): boolean {
  return pathInfo.endsWith('/git-receive-pack') || query.get('service') === 'git-receive-pack';
}

/** Serves git's smart HTTP protocol by running `git http-backend` as a CGI script; resolves with the status. */
export function serveGitHttp(req: IncomingMessage, res: ServerResponse, cgi: GitCgiRequest): Promise<number> {
  const header = (name: string) => {
    const value = req.headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_PROJECT_ROOT: cgi.root,
    GIT_HTTP_EXPORT_ALL: '1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    PATH_INFO: cgi.pathInfo,
    QUERY_STRING: cgi.query,
    REQUEST_METHOD: req.method ?? 'GET',
    REMOTE_ADDR: '127.0.0.1',
    ...optional('CONTENT_TYPE', header('content-type')),
    // Without CONTENT_LENGTH http-backend reads to EOF, which is what a chunked push needs.
    ...optional('CONTENT_LENGTH', header('content-length')),
    ...optional('HTTP_CONTENT_ENCODING', header('content-encoding')),
    ...optional('HTTP_GIT_PROTOCOL', header('git-protocol')),
    ...optional('REMOTE_USER', cgi.remoteUser),
    ...cgi.env,
  };
  const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  req.pipe(child.stdin);
  child.stdin.on('error', () => {
    // http-backend may exit before reading a body it refuses; its answer still reaches the client.
  });
  const stderr: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));

  return new Promise((resolve, reject) => {
    let head = Buffer.alloc(0);
    let status = 200;
    child.stdout.on('data', (chunk: Buffer) => {
      if (res.headersSent) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const parsed = splitCgiHead(head);
      if (!parsed) return;
      status = parsed.status;
      res.writeHead(parsed.status, parsed.headers);
      if (parsed.rest.length > 0) res.write(parsed.rest);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (!res.headersSent) {
        status = 500;
        const why = Buffer.concat(stderr).toString('utf8').trim() || `exit ${code}`;
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.write(`local GitHub: git http-backend failed: ${why}\n`);
      }
      res.end();
      resolve(status);
    });
  });
}

/** Splits CGI output into its header block (with `Status:`) and the body bytes already read. */
export function splitCgiHead(
  buffer: Buffer,
): { status: number; headers: Record<string, string>; rest: Buffer } | undefined {
  const text = buffer.toString('latin1');
  const match = /\r?\n\r?\n/.exec(text);
  if (!match) return undefined;
  const headers: Record<string, string> = {};
  let status = 200;
  for (const line of text.slice(0, match.index).split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'status') status = Number.parseInt(value, 10) || 500;
    else headers[name] = value;
  }
  return { status, headers, rest: buffer.subarray(match.index + match[0].length) };
}

function optional(name: string, value: string | undefined): Record<string, string> {
  return value === undefined ? {} : { [name]: value };
}
