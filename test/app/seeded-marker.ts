import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderMarkerComment } from '../../src/app/marker-comment.ts';
import { PHASES, type Phase, phaseIndex } from '../../src/core/phases.ts';
import type { SessionStatus } from '../../src/core/session/session-state.ts';
import { sealMarker } from '../../src/github/marker-trust.ts';
import { type StatusMarker, statusMarkerFor } from '../../src/github/status-marker.ts';
import { DIGEST, ledger } from '../state/fixtures.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

/**
 * The marker of a session of `taskId` (started 2025-06-01) in `status`, built from the ledger fixture: every phase
 * before the current one ran once and succeeded at `head`.
 */
export function seededMarker(
  taskId: string,
  status: SessionStatus,
  at: { issueNumber: number; head: string; startedBy: string; repo?: string },
): StatusMarker {
  const session = `phase-${taskId}-20250601`;
  return statusMarkerFor(
    {
      ...ledger(),
      session,
      taskId,
      branch: `ipo/${session}`,
      startedBy: at.startedBy,
      status,
      ...progress(status, at.head),
    },
    { repo: at.repo ?? 'octo/demo', issueNumber: at.issueNumber, version: 1 },
  );
}

/** The example project's `.github/ipo.yml` with `extra` YAML lines appended. */
export async function demoConfig(extra: string): Promise<string> {
  const base = await readFile(join(ROOT, 'examples/demo-repo/.github/ipo.yml'), 'utf8');
  return `${base.trimEnd()}\n${extra.trimEnd()}\n`;
}

/** The status comment the app itself would write for `marker`, sealed with `key` (null: unsigned). */
export function statusBody(marker: StatusMarker, key: string | null): string {
  return renderMarkerComment(sealMarker(marker, key), (id) => `https://example.invalid/runs/${id}`);
}

/** Attempts, bases and digests consistent with `status`: every phase before it ran once and succeeded at `head`. */
function progress(status: SessionStatus, head: string) {
  const at: Phase =
    status.kind === 'awaiting'
      ? status.gate
      : status.kind === 'complete' || status.kind === 'cancelled'
        ? 'commit'
        : status.phase;
  const attempts = { alignment: 0, implementation: 0, verification: 0, commit: 0 };
  const bases: Partial<Record<Phase, string>> = {};
  const digests: Partial<Record<Phase, string>> = {};
  for (const phase of PHASES) {
    if (phaseIndex(phase) < phaseIndex(at)) {
      attempts[phase] = 1;
      bases[phase] = head;
      digests[phase] = DIGEST;
    }
  }
  if (status.kind === 'running' || status.kind === 'failed' || status.kind === 'blocked') {
    attempts[status.phase] = status.attempt;
    bases[status.phase] = head;
  }
  return { attempts, bases, digests };
}
