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
 * (either side may be `*`); dates may carry a time (`2025-01-02T10:00:00Z`). Throws on anything else.
 */
export function matchesCreated(createdAt: string, filter: string): boolean {
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

// A date stands for its whole (UTC) day; a date-time for that second.
function bounds(value: string): { start: number; end: number } {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const start = Date.parse(dateOnly ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(start)) throw new Error(`not a date: ${value}`);
  return { start, end: start + (dateOnly ? 86_400_000 : 1000) - 1 };
}
