import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { FAULT_ERRORS } from './api-error.ts';
import { buildMessage } from './build-message.ts';
import { HttpExchange, type RecordedRequest } from './http-exchange.ts';
import { validateScript } from './load-script.ts';
import { matchRequest } from './match-request.ts';
import { MessageThreads, requestedThreadMode } from './message-threads.ts';
import { parseCountTokensRequest, parseMessagesRequest } from './messages-request.ts';
import { PromptCache } from './prompt-cache.ts';
import { promptSegments } from './prompt-segments.ts';
import { ReplayProgress } from './replay-progress.ts';
import { requestRuleViolation } from './request-rules.ts';
import type { ReplayScript, StatusFault } from './script-schema.ts';
import { formatSse, messageStreamEvents } from './sse.ts';

export type { RecordedRequest } from './http-exchange.ts';

export interface ReplayServerOptions {
  script: ReplayScript;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Clock for prompt-cache expiry. */
  now?: () => number;
  /** Where the script came from (a file path), told to clients that ask `GET /ipo/replay`. */
  source?: string;
}

/** The path a client asks to learn it talks to a replay, not the Anthropic API (no API route starts with it). */
export const REPLAY_INFO_PATH = '/ipo/replay';

/** The answer to `GET /ipo/replay`. */
export interface ReplayInfo {
  replay: true;
  source: string;
  remaining: string[];
}

export interface ReplayServer {
  /** `http://127.0.0.1:<port>`: pass it as the SDK's `baseURL`. */
  url: string;
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  /** Scripted turns not served yet, e.g. `conversation "alignment" turn 2`. */
  remaining(): string[];
  close(): Promise<void>;
}

/** Starts a local server that speaks the Anthropic Messages API and answers from `script`. */
export async function startReplayServer(options: ReplayServerOptions): Promise<ReplayServer> {
  // Validated here too, so a script built in code gets the same checks as a loaded file.
  const script = validateScript(options.script, 'passed to startReplayServer');
  const progress = new ReplayProgress(script);
  const cache = new PromptCache(options.now);
  const threads = new MessageThreads();
  const requests: RecordedRequest[] = [];
  let counter = 0;

  const server = createServer((req, res) => {
    counter += 1;
    const exchange = new HttpExchange(req, res, `req_replay_${String(counter).padStart(6, '0')}`);
    // `requests` is what the model was asked; ipo's question whether this is a replay is not part of it.
    if (!(req.method === 'GET' && req.url === REPLAY_INFO_PATH)) requests.push(exchange.record);
    handle(exchange).catch((error: unknown) => {
      // A bug here must surface at once, not be retried by the SDK into a slow, confusing failure.
      const message = error instanceof Error ? error.message : String(error);
      if (res.headersSent) res.destroy();
      else exchange.sendError('api_error', `replay: internal error: ${message}`, { retryable: false });
    });
  });

  async function handle(exchange: HttpExchange): Promise<void> {
    const text = await exchange.readText();
    const { pathname } = new URL(exchange.req.url ?? '/', 'http://replay');
    const route = `${exchange.req.method} ${pathname}`;
    if (route === `GET ${REPLAY_INFO_PATH}`) {
      const info: ReplayInfo = {
        replay: true,
        source: options.source ?? 'a script passed in code',
        remaining: progress.remaining(),
      };
      return exchange.sendJson(200, info);
    }
    if (route !== 'POST /v1/messages' && route !== 'POST /v1/messages/count_tokens') {
      return exchange.sendError('not_found_error', `replay: no route for ${route}`);
    }
    if (!exchange.req.headers['x-api-key'] && !exchange.req.headers.authorization) {
      return exchange.sendError('authentication_error', 'x-api-key header is required');
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return exchange.sendError('invalid_request_error', 'replay: the request body is not valid JSON');
    }
    exchange.record.body = body;
    if (pathname === '/v1/messages/count_tokens') return countTokensRoute(exchange, body);
    return messagesRoute(exchange, body);
  }

  function countTokensRoute(exchange: HttpExchange, body: unknown): void {
    const parsed = parseCountTokensRequest(body);
    if (!parsed.ok) {
      exchange.sendError('invalid_request_error', parsed.message);
      return;
    }
    const tokens = promptSegments(parsed.request).reduce((sum, segment) => sum + segment.tokens, 0);
    exchange.sendJson(200, { input_tokens: tokens });
  }

  async function messagesRoute(exchange: HttpExchange, body: unknown): Promise<void> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return exchange.sendError('invalid_request_error', 'replay: the request body must be a JSON object');
    }
    const mode = requestedThreadMode(body as Record<string, unknown>);
    if (mode !== 'none') exchange.record.thread = mode;
    const thread = threads.resolve(body as Record<string, unknown>);
    if (!thread.ok) {
      return exchange.sendError(thread.type, thread.message, {
        status: thread.status,
        details: thread.details,
      });
    }
    const parsed = parseMessagesRequest(thread.request);
    if (!parsed.ok) return exchange.sendError('invalid_request_error', parsed.message);
    const request = parsed.request;
    const broken = requestRuleViolation(request);
    // Not retryable: the real API answers a malformed request the same way every time.
    if (broken !== undefined)
      return exchange.sendError('invalid_request_error', broken, { retryable: false });
    // A thread continuation is matched as the whole conversation the model sees, not the delta sent.
    const match = matchRequest(script, progress.finished, request, JSON.stringify(thread.request));
    if (!match.ok) return exchange.sendError('invalid_request_error', match.message, { retryable: false });
    const { conversationIndex, turnIndex } = match;
    exchange.record.match = { conversation: match.conversation.name, turn: turnIndex };

    let fault = progress.takeFault(conversationIndex, turnIndex);
    while (fault !== undefined && 'delayMs' in fault) {
      await sleep(fault.delayMs);
      // A client that gave up during the delay retries onto the same turn; serve the answer to that retry.
      if (exchange.req.socket.destroyed) return;
      fault = progress.takeFault(conversationIndex, turnIndex);
    }
    if (fault !== undefined) {
      exchange.record.fault = fault;
      return 'reset' in fault ? exchange.reset() : sendFault(exchange, fault);
    }

    const usage = cache.use(request.model, promptSegments(request));
    const message = buildMessage(
      exchange.requestId.replace('req_', 'msg_'),
      request.model,
      match.turn.response,
      usage,
      request.max_tokens,
    );
    // A cut answer leaves the turn unserved: the client's retry with a higher `max_tokens` lands on it again.
    if (!message.truncated) progress.markServed(conversationIndex, turnIndex);
    if (thread.mode !== 'none') threads.remember(message.id, thread.request, message.content);
    const { truncated: _, ...served } = message;
    if (request.stream !== true) return exchange.sendJson(200, served);
    exchange.startStream();
    for (const event of messageStreamEvents(served)) exchange.res.write(formatSse(event));
    exchange.res.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Loopback only: the replay server is a test double and must never be reachable from the network.
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    remaining: () => progress.remaining(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets from SDK clients would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}

function sendFault(exchange: HttpExchange, fault: StatusFault): void {
  const { type, message } = FAULT_ERRORS[fault.status];
  const headers: Record<string, string> = {};
  if (fault.retryAfterSeconds !== undefined) {
    // `retry-after-ms` (which the SDK prefers) allows sub-second waits that keep tests fast.
    headers['retry-after'] = String(fault.retryAfterSeconds);
    headers['retry-after-ms'] = String(Math.round(fault.retryAfterSeconds * 1000));
  }
  exchange.sendError(type, fault.message ?? message, { status: fault.status, headers });
}
