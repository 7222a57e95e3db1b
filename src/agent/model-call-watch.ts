import type { Middleware } from '@anthropic-ai/sdk';

/**
 * A refused or unresolvable connection: nothing listens at the base URL (a replay server not started, a wrong port)
 * or the host does not exist. It is thrown from the SDK middleware without a `cause`, so the SDK does not take it
 * for a connection error it may retry: "Middleware errors are not retried apart from connection-level errors …
 * present anywhere in an error's cause chain" (`@anthropic-ai/sdk` `core/middleware.d.ts`, `Middleware`). Waiting
 * 0.5 + 1 + 2 + 4 s for a port nobody listens on tells the person nothing a first try did not.
 */
export class ModelUnreachableError extends Error {
  constructor(
    readonly url: string,
    readonly code: string,
  ) {
    super(`${code} connecting to ${url}`);
    this.name = 'ModelUnreachableError';
  }
}

/** Error codes that say no server answers there; a reset or a timeout (a server that is there) is still retried. */
const NOBODY_THERE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH']);

export interface ModelCallWatch {
  /** Per-request middleware for `messages.create(params, { middleware: [watch.middleware] })`. */
  middleware: Middleware;
  /** HTTP attempts made since the watch was created: the SDK's retries included. */
  attempts: () => number;
}

/** Watches one model call: counts its HTTP attempts and turns a connection nobody answers into a `ModelUnreachableError`. */
export function watchModelCall(): ModelCallWatch {
  let attempts = 0;
  const middleware: Middleware = async (request, next) => {
    attempts++;
    try {
      return await next(request);
    } catch (error) {
      const code = connectionCode(error);
      if (code && NOBODY_THERE.has(code)) throw new ModelUnreachableError(originOf(request.url), code);
      throw error;
    }
  };
  return { middleware, attempts: () => attempts };
}

/** The system error code of a failed `fetch` (undici nests it under `cause`, sometimes in an AggregateError). */
function connectionCode(error: unknown, depth = 0): string | null {
  if (typeof error !== 'object' || error === null || depth > 5) return null;
  const e = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && e.code.startsWith('E')) return e.code;
  for (const inner of [e.cause, ...(Array.isArray(e.errors) ? e.errors : [])]) {
    const code = connectionCode(inner, depth + 1);
    if (code) return code;
  }
  return null;
}

function originOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url;
  }
}
