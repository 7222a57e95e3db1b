import { APIError } from '@anthropic-ai/sdk';

/**
 * Extra retries for `529 overloaded_error`, after the SDK's own. The SDK's `maxRetries` stays the first line for
 * short blips (it honours `retry-after` and `x-should-retry`), but its backoff is fixed at 0.5 s doubling to 8 s
 * with no option to lengthen it: 4 retries give up after ~8 s, while an overload can last minutes. So an overload
 * the SDK gave up on is retried here, with longer, jittered waits, bounded in total (and by the wall-time budget).
 */
export interface OverloadRetryPolicy {
  /** First wait; each next one doubles, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Most time spent waiting on overloads over one run; past it the phase fails with the API's message. */
  maxTotalMs: number;
}

/** Minutes, bounded: 15 s, 30 s, 60 s, then 2 min apart, for at most 10 min of waiting in one phase. */
export const DEFAULT_OVERLOAD_RETRY: OverloadRetryPolicy = {
  baseDelayMs: 15_000,
  maxDelayMs: 120_000,
  maxTotalMs: 600_000,
};

/** Whether the API said it is overloaded (after the SDK's retries). */
export function isOverloaded(error: unknown): boolean {
  if (!(error instanceof APIError)) return false;
  const body = error.error as { error?: { type?: unknown } } | undefined;
  return error.status === 529 || body?.error?.type === 'overloaded_error';
}

/**
 * The wait before overload retry `attempt` (0-based): half the doubled delay plus a random half ("equal jitter",
 * so parallel jobs spread out but none retries at once), cut to what is left of the total; null when none is.
 */
export function overloadDelay(
  policy: OverloadRetryPolicy,
  attempt: number,
  waitedMs: number,
  random: () => number,
): number | null {
  const left = policy.maxTotalMs - waitedMs;
  if (left <= 0) return null;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.min(left, Math.round(ceiling / 2 + random() * (ceiling / 2)));
}

/**
 * The 529 retry policy of a phase process (the CLI's and the Action's): `DEFAULT_OVERLOAD_RETRY`, its total wait set by
 * `IPO_MODEL_OVERLOAD_WAIT_S` (seconds; 0 leaves only the SDK's `maxRetries`).
 */
export function overloadRetryFromEnv(env: NodeJS.ProcessEnv): OverloadRetryPolicy | undefined {
  const raw = env.IPO_MODEL_OVERLOAD_WAIT_S;
  const seconds = raw === undefined || raw === '' ? undefined : Number(raw);
  if (seconds === undefined) return DEFAULT_OVERLOAD_RETRY;
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new Error(
      `IPO_MODEL_OVERLOAD_WAIT_S must be a number of seconds (0 turns the longer retries off), not "${raw}"`,
    );
  }
  return seconds === 0 ? undefined : { ...DEFAULT_OVERLOAD_RETRY, maxTotalMs: seconds * 1000 };
}
