import { performance } from 'node:perf_hooks';
import { ProbotOctokit } from 'probot';

/** One REST call as the app made it: when it was sent and when its answer arrived (ms, `performance.now()`). */
export interface TimedCall {
  method: string;
  url: string;
  sentAt: number;
  answeredAt: number;
}

const listeners = new Set<(call: TimedCall) => void>();

/** Calls `listener` with every REST call any FastOctokit makes until the returned function is called. */
export function onRestCall(listener: (call: TimedCall) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Probot's Octokit without throttling (it spaces writes ~1 s apart) or retries of 5xx: both only slow tests and
 * benchmarks against the local GitHub. The function form has the last word over Probot's own throttle defaults,
 * which a plain object would not. Every call is reported to `onRestCall` listeners, for counting round trips.
 */
export const FastOctokit = ProbotOctokit.plugin((octokit) => {
  octokit.hook.wrap('request', async (request, options) => {
    const sentAt = performance.now();
    try {
      return await request(options);
    } finally {
      if (listeners.size > 0) {
        const call = { method: options.method, url: options.url, sentAt, answeredAt: performance.now() };
        for (const listener of listeners) listener(call);
      }
    }
  });
}).defaults((options: Record<string, unknown>) => ({
  ...options,
  throttle: { ...(options.throttle as object), enabled: false },
  retry: { enabled: false },
}));

/**
 * The sequential round trips among `calls`: a call sent before any call of the current round was answered belongs
 * to that round (it cannot depend on them); one sent later starts the next. Sent-at times come from the client, so
 * calls sent together (`Promise.all`) are always one round, however the server schedules them.
 */
export function sequentialRounds(calls: readonly TimedCall[]): TimedCall[][] {
  const rounds: TimedCall[][] = [];
  let firstAnswer = Number.NEGATIVE_INFINITY;
  for (const call of [...calls].sort((a, b) => a.sentAt - b.sentAt)) {
    const current = rounds.at(-1);
    if (current && call.sentAt < firstAnswer) {
      current.push(call);
      firstAnswer = Math.min(firstAnswer, call.answeredAt);
    } else {
      rounds.push([call]);
      firstAnswer = call.answeredAt;
    }
  }
  return rounds;
}
