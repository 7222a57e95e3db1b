import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderMarkerComment } from '../../src/app/marker-comment.ts';
import { runName } from '../../src/core/dispatch/run-name.ts';
import { PHASES, type Phase, phaseIndex } from '../../src/core/phases.ts';
import type { SessionStatus } from '../../src/core/session/session-state.ts';
import { sealMarker } from '../../src/github/marker-trust.ts';
import { type StatusMarker, statusMarkerFor } from '../../src/github/status-marker.ts';
import { DIGEST, ledger } from '../state/fixtures.ts';
import type { RepoRecord } from '../support/github/github-state.ts';
import type { LocalGitHub } from '../support/github/local-github.ts';

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

/**
 * What the last job of a seeded session leaves on GitHub besides its status comment: its completed run of the
 * ipo workflow on main, which the marker names (`lastRunId`, `lastRunSha`) and the app checks before a dispatch.
 * A marker of a session that has not run a phase yet is returned as it is.
 */
export async function withPreviousRun(
  github: LocalGitHub,
  repo: RepoRecord,
  marker: StatusMarker,
  workflow = '.github/workflows/ipo.yml',
): Promise<StatusMarker> {
  const ran = [...PHASES].reverse().find((phase) => marker.attempts[phase] > 0);
  if (!ran) return marker;
  const main = await repo.git.ref('refs/heads/main');
  if (!main) throw new Error('seeded session: main has no commits');
  const run = github.actions.addRun(github.actions.workflow(repo, workflow, workflow), {
    displayTitle: runName({
      session: marker.session,
      phase: ran,
      attempt: marker.attempts[ran],
      issueNumber: marker.issueNumber,
    }),
    event: 'workflow_dispatch',
    headBranch: 'main',
    headSha: main.sha,
    headCommit: await repo.git.commit(main.sha),
    actor: 'github-actions[bot]',
    inputs: {},
  });
  github.updateRun(run.id, { status: 'completed', conclusion: 'success' });
  return { ...marker, lastRunId: run.id, lastRunSha: main.sha };
}
