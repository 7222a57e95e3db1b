import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Reply } from './reply.ts';

/** Which part of the local GitHub a request reached. */
export type RequestKind = 'rest' | 'graphql' | 'git' | 'other';

export interface RecordedRequest {
  kind: RequestKind;
  method: string;
  /** API-relative for REST (`/repos/o/r/issues`), `/graphql`, the git path (`/o/r.git/info/refs`) otherwise. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON for REST and GraphQL; git bodies are binary and not kept. */
  body: unknown;
  /** Whether an `Authorization` header came with it (the value itself is never stored). */
  hasAuthorization: boolean;
  /** The answer's status; 0 until answered. */
  status: number;
}

const API_PREFIX = '/api/v3';
const GIT_PATH = /^\/[^/]+\/[^/]+\.git(\/.*)?$/;

/** Classifies a URL path and gives the path tests match on. */
export function classifyPath(pathname: string): { kind: RequestKind; path: string } {
  if (pathname === '/api/graphql') return { kind: 'graphql', path: '/graphql' };
  if (pathname === API_PREFIX || pathname.startsWith(`${API_PREFIX}/`)) {
    return { kind: 'rest', path: pathname.slice(API_PREFIX.length) || '/' };
  }
  if (GIT_PATH.test(pathname)) return { kind: 'git', path: pathname };
  return { kind: 'other', path: pathname };
}

export function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Writes a reply with the headers Octokit relies on: JSON, or a Buffer body as is (raw file, zip). */
export function sendReply(res: ServerResponse, reply: Reply): void {
  const headers = { 'x-github-media-type': 'github.v3; format=json', ...reply.headers };
  if (reply.status === 204 || reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  if (Buffer.isBuffer(reply.body)) {
    res.writeHead(reply.status, { 'content-type': 'application/octet-stream', ...headers });
    res.end(reply.body);
    return;
  }
  res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(reply.body));
}
