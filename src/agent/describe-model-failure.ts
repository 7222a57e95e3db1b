import { APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk';
import { ModelUnreachableError } from './model-call-watch.ts';

/** What the person needs beside the error to act on it. */
export interface ModelCallContext {
  /** The model id sent. */
  model: string;
  /** The config field the model id came from: `phases.<phase>.model` or `defaultModel`. */
  modelField?: string | undefined;
  /** The base URL the client sent it to. */
  baseURL: string;
  /** HTTP attempts made for the failed call (the SDK's retries and ipo's overload retries included). */
  attempts: number;
}

const CONFIG_FILE = '.github/ipo.yml';
const KEY_HINT =
  'ipo reads the key from ANTHROPIC_API_KEY in the environment of the `ipo` process (on GitHub: the `anthropic-api-key` input of the action, usually a secret)';

/**
 * A failed model call as one message a person can act on: the status and the API's own message, how many attempts
 * were made (only when there were retries), and what to do for that status
 * (https://docs.claude.com/en/api/errors lists the statuses and their error types).
 */
export function describeModelFailure(
  error: unknown,
  ctx: ModelCallContext,
): { status: number | null; message: string } {
  if (error instanceof ModelUnreachableError) {
    return { status: null, message: unreachable(ctx, `${error.code}: nothing answered there`) };
  }
  if (error instanceof APIConnectionTimeoutError) {
    return { status: null, message: unreachable(ctx, 'the request timed out') };
  }
  if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? error.cause.message : error.message;
    return { status: null, message: unreachable(ctx, `connection failed: ${cause}`) };
  }
  if (!(error instanceof APIError) || error.status === undefined) {
    return { status: null, message: `model API call failed: ${String(error)}` };
  }
  const status = error.status;
  const tries = ctx.attempts > 1 ? ` after ${ctx.attempts} attempts` : '';
  const head = `model API error ${status}${tries}: ${apiMessage(error)}`;
  return { status, message: `${head}. ${advice(status, error, ctx)}` };
}

function advice(status: number, error: APIError, ctx: ModelCallContext): string {
  const field = ctx.modelField ?? 'defaultModel';
  switch (status) {
    case 401:
      return `The API key was refused: check it. ${KEY_HINT}.`;
    case 403:
      return `The API key has no permission for this request (model ${ctx.model}): use a key of a workspace allowed to use that model, or change \`${field}\` in ${CONFIG_FILE}.`;
    case 404:
      return `The model id "${ctx.model}" comes from \`${field}\` in ${CONFIG_FILE} (on the branch sessions start from): set it to a model id your key can use.`;
    case 400:
      return 'The API refused the request; its message above names the field.';
    case 413:
      return 'The request is larger than the API accepts (32 MB for the Messages API): a tool result or an input file is too large.';
    case 429: {
      const wait = retryAfter(error);
      return `Rate limit reached${wait ? `; the API asked to wait ${wait}` : ''}: try again later, or lower the phase's budgets.`;
    }
    default:
      return status >= 500
        ? 'The API is failing or overloaded: try again later.'
        : 'The API refused the request.';
  }
}

function unreachable(ctx: ModelCallContext, why: string): string {
  const tries = ctx.attempts > 1 ? ` (${ctx.attempts} attempts)` : '';
  return (
    `could not reach the model API at ${ctx.baseURL}${tries}: ${why}. This is not an answer from the API: ` +
    'check ANTHROPIC_BASE_URL (the base URL when set; https://api.anthropic.com otherwise) and the network.'
  );
}

/** The API's own message (`error.error.message`) rather than the SDK's JSON dump of the body. */
function apiMessage(error: APIError): string {
  const body = error.error as { error?: { message?: unknown } } | undefined;
  const inner = body?.error?.message;
  return (typeof inner === 'string' ? inner : error.message).replace(/\.$/, '');
}

/** The wait the API asked for in `retry-after` (seconds), as `30s`; null when it named none. */
function retryAfter(error: APIError): string | null {
  const value = error.headers?.get('retry-after');
  const seconds = value ? Number(value) : Number.NaN;
  return Number.isFinite(seconds) && seconds > 0 ? `${seconds}s` : null;
}
