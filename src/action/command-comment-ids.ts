import type { StatusMarker } from '../github/status-marker.ts';

/**
 * The comments whose commands lead from the last exported ledger to this run, oldest first: the status marker's
 * `pending` list (commands the app accepted since the last job, e.g. `rollback implementation`, which dispatched
 * nothing, then `proceed to implementation`), ending with the comment that dispatched this run.
 */
export function commandCommentIds(marker: StatusMarker | undefined, dispatching: number): number[] {
  const pending = marker?.pending ?? [];
  if (!pending.includes(dispatching)) return [...pending, dispatching];
  if (pending.at(-1) === dispatching) return [...pending];
  throw new Error(
    `comment ${dispatching} dispatched this run, but the status comment lists commands given after it: ` +
      'dispatch again from the latest command',
  );
}
