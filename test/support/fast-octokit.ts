import { ProbotOctokit } from 'probot';

/**
 * Probot's Octokit without throttling (it spaces writes ~1 s apart) or retries of 5xx: both only slow tests and
 * benchmarks against the local GitHub. The function form has the last word over Probot's own throttle defaults,
 * which a plain object would not.
 */
export const FastOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  throttle: { ...(options.throttle as object), enabled: false },
  retry: { enabled: false },
}));
