import type { IncomingMessage, ServerResponse } from 'node:http';

/** `GET /healthz`: 200 while the process can serve webhooks (no state to check: the app keeps none). */
export function healthz(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET' || req.url !== '/healthz') return false;
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"status":"ok"}');
  return true;
}
