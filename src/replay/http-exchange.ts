import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApiErrorType, ERROR_STATUS, errorBody } from './api-error.ts';
import type { Fault } from './script-schema.ts';

/** What the server saw and answered, for tests and benchmarks. */
export interface RecordedRequest {
  method: string;
  /** Path with query, e.g. `/v1/messages?beta=true`. */
  path: string;
  /** Lower-cased header names; credentials are redacted. */
  headers: Record<string, string>;
  /** The parsed JSON body (undefined when it was not JSON). */
  body: unknown;
  /** `create` / `continue` when the request used message threads (the turn is matched on the whole thread). */
  thread?: 'create' | 'continue';
  /** The scripted turn the request mapped to. */
  match?: { conversation: string; turn: number };
  /** The fault answered instead of the response (delays that were followed by the response are not kept). */
  fault?: Fault;
  /** HTTP status answered; null when the connection was reset. Set once the answer is sent. */
  status: number | null;
  /** The error message, when the answer was an error. */
  error?: string;
}

const REDACTED_HEADERS = new Set(['x-api-key', 'authorization']);

/** One request/response pair with its record and request id. */
export class HttpExchange {
  readonly record: RecordedRequest;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly requestId: string,
  ) {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      headers[name] = REDACTED_HEADERS.has(name)
        ? '[redacted]'
        : Array.isArray(value)
          ? value.join(', ')
          : value;
    }
    this.record = { method: req.method ?? '', path: req.url ?? '', headers, body: undefined, status: null };
  }

  /** Reads the whole request body as text. */
  async readText(): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  /** Answers with a JSON body and the API's `request-id` header. */
  sendJson(status: number, body: unknown, headers: Record<string, string> = {}): void {
    this.record.status = status;
    if (this.res.destroyed) return;
    this.res.writeHead(status, {
      'content-type': 'application/json',
      'request-id': this.requestId,
      ...headers,
    });
    this.res.end(JSON.stringify(body));
  }

  /** Answers with an API error body; `retryable` sets `x-should-retry`, which the SDK obeys over the status. */
  sendError(
    type: ApiErrorType,
    message: string,
    options: {
      status?: number;
      retryable?: boolean;
      headers?: Record<string, string>;
      details?: Record<string, unknown>;
    } = {},
  ): void {
    this.record.error = message;
    const headers = { ...options.headers };
    if (options.retryable !== undefined) headers['x-should-retry'] = String(options.retryable);
    this.sendJson(
      options.status ?? ERROR_STATUS[type],
      errorBody(type, message, this.requestId, options.details),
      headers,
    );
  }

  /** Starts a `text/event-stream` answer. */
  startStream(): void {
    this.record.status = 200;
    this.res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'request-id': this.requestId,
    });
  }

  /** Drops the TCP connection without an answer: the client sees a connection reset. */
  reset(): void {
    this.record.status = null;
    this.req.socket.destroy();
  }
}
