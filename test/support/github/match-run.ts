import type { RunRecord } from './actions-state.ts';

const CONCLUSIONS = new Set([
  'success',
  'failure',
  'cancelled',
  'skipped',
  'timed_out',
  'action_required',
  'neutral',
  'stale',
]);

/** The list filters of `GET …/actions/runs`: `event`, `branch`, `status` (a status or a conclusion), `actor`, `head_sha`, `created`. */
export function runMatches(run: RunRecord, query: URLSearchParams): boolean {
  const want = (name: string) => query.get(name) || undefined;
  const status = want('status');
  const created = want('created');
  return (
    (want('event') === undefined || run.event === want('event')) &&
    (want('branch') === undefined || run.headBranch === want('branch')) &&
    (want('actor') === undefined || run.actor === want('actor')) &&
    (want('head_sha') === undefined || run.headSha === want('head_sha')) &&
    (status === undefined || (CONCLUSIONS.has(status) ? run.conclusion === status : run.status === status)) &&
    (created === undefined || matchesCreated(run.createdAt, created))
  );
}

/**
 * GitHub's date qualifier for `created`: `2025-01-02` (that day), `>=…`, `>…`, `<=…`, `<…`, or a range `a..b`
 * (either side may be `*`). Throws on anything else. A value with a time of day (`2025-01-02T10:00:00Z`) matches
 * nothing: the documentation describes dates (https://docs.github.com/en/search-github/getting-started-with-searching-on-github/understanding-the-search-syntax#query-for-dates),
 * and GitHub is reported to answer such a filter with no runs at all, so code that relies on one (a look-up for the
 * run a dispatch just made) must fail here as it would there.
 */
export function matchesCreated(createdAt: string, filter: string): boolean {
  if (/\d{4}-\d{2}-\d{2}T/.test(filter)) return false;
  const at = Date.parse(createdAt);
  const range = filter.split('..');
  if (range.length === 2) {
    const [from = '*', to = '*'] = range;
    return (from === '*' || at >= bounds(from).start) && (to === '*' || at <= bounds(to).end);
  }
  const op = /^(>=|<=|>|<)?(.+)$/.exec(filter);
  const { start, end } = bounds(op?.[2] ?? filter);
  switch (op?.[1]) {
    case '>=':
      return at >= start;
    case '>':
      return at > end;
    case '<=':
      return at <= end;
    case '<':
      return at < start;
    default:
      return at >= start && at <= end;
  }
}

// A date stands for its whole (UTC) day.
function bounds(value: string): { start: number; end: number } {
  const start = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(start)) throw new Error(`not a date: ${value}`);
  return { start, end: start + 86_400_000 - 1 };
}
