import type { ApiErrorType } from './api-error.ts';

type Json = Record<string, unknown>;

/** How a request used message threads (the `message-threads-2026-08-12` beta). */
export type ThreadMode = 'none' | 'create' | 'continue';

export type ThreadResolution =
  | { ok: true; mode: ThreadMode; request: Json }
  | { ok: false; status: number; type: ApiErrorType; message: string; details?: Json };

/** The fields a `continue` takes from the thread; the API rejects a continue that repeats them. */
const CREATE_ONLY_FIELDS = ['system', 'tools'] as const;

/**
 * Server-held conversations, as the API keeps them for `thread: { type: "create" | "continue" }`. The SDK's beta
 * tool runner threads by default: after the first turn it sends only new messages plus the previous response id,
 * so the replay rebuilds the full request the model would see before matching and counting tokens.
 */
export class MessageThreads {
  readonly #threads = new Map<string, { fields: Json; messages: unknown[] }>();

  /** The full request a body stands for (without `thread`), or the API's rejection of its `thread`. */
  resolve(body: Json): ThreadResolution {
    const { thread, ...request } = body;
    if (thread === undefined || thread === null) return { ok: true, mode: 'none', request };
    const unsupported = unsupportedFeatures(request);
    if (unsupported.length > 0) {
      // Mirrors `ThreadUnsupportedRequestError`: the SDK's tool runner then re-sends the turn unthreaded.
      return {
        ok: false,
        status: 400,
        type: 'invalid_request_error',
        message: `thread: this request cannot be threaded (${unsupported.join(', ')}); send it without \`thread\``,
        details: { error_code: 'thread_unsupported_request', unsupported },
      };
    }
    const { type, previous_message_id: previousId } = thread as Json;
    if (type === 'create') return { ok: true, mode: 'create', request };
    if (type !== 'continue' || typeof previousId !== 'string') {
      return invalid('thread: expected { type: "create" } or { type: "continue", previous_message_id }');
    }
    const stored = this.#threads.get(previousId);
    if (stored === undefined) {
      return {
        ok: false,
        status: 404,
        type: 'not_found_error',
        message: `thread: no thread holds previous_message_id ${previousId}`,
        details: { error_code: 'thread_not_found' },
      };
    }
    const repeated = CREATE_ONLY_FIELDS.filter((field) => request[field] !== undefined);
    if (repeated.length > 0) return invalid(`thread: a continue must not send ${repeated.join(' or ')}`);
    const messages = Array.isArray(request.messages) ? request.messages : [];
    return {
      ok: true,
      mode: 'continue',
      request: { ...request, ...stored.fields, messages: [...stored.messages, ...messages] },
    };
  }

  /** Holds the conversation of a threaded request and its reply under the reply's id. */
  remember(messageId: string, request: Json, replyContent: unknown[]): void {
    const fields: Json = {};
    for (const field of CREATE_ONLY_FIELDS) {
      if (request[field] !== undefined) fields[field] = request[field];
    }
    const messages = Array.isArray(request.messages) ? request.messages : [];
    this.#threads.set(messageId, {
      fields,
      messages: [...messages, { role: 'assistant', content: replyContent }],
    });
  }
}

/** The thread mode a body asks for, whether or not it is accepted. */
export function requestedThreadMode(body: Json): ThreadMode {
  const type = isObject(body.thread) ? body.thread.type : undefined;
  return type === 'create' || type === 'continue' ? type : 'none';
}

function invalid(message: string): ThreadResolution {
  return { ok: false, status: 400, type: 'invalid_request_error', message };
}

/** Request features the SDK's types list as unsupported with threads, of those a replayed agent may send. */
function unsupportedFeatures(request: Json): string[] {
  const found: string[] = [];
  if (hasCacheControl(request)) found.push('cache_control');
  const thinking = request.thinking as Json | undefined;
  if (thinking !== undefined && thinking.type !== 'disabled') found.push('thinking');
  return found;
}

function hasCacheControl(request: Json): boolean {
  const marked = (value: unknown): boolean => isObject(value) && value.cache_control != null;
  const blocks = (content: unknown): unknown[] => (Array.isArray(content) ? content : []);
  if (request.cache_control != null) return true;
  if (blocks(request.tools).some(marked) || blocks(request.system).some(marked)) return true;
  return blocks(request.messages).some(
    (message) =>
      isObject(message) &&
      blocks(message.content).some(
        (block) => marked(block) || (isObject(block) && blocks(block.content).some(marked)),
      ),
  );
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
