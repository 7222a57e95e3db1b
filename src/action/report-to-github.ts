import type { Octokit } from '@octokit/rest';
import type { Phase } from '../core/phases.ts';
import type { StateTrust } from '../github/marker-trust.ts';
import { sealMarker } from '../github/marker-trust.ts';
import { statusMarkerFor, withRun } from '../github/status-marker.ts';
import { readStatusComment, upsertStatusComment } from '../github/sticky-comment.ts';
import type { PhaseReport } from '../job/run-phase-job.ts';
import { renderJobSummary } from '../report/job-summary.ts';
import type { PhaseRunResult } from '../report/phase-review.ts';
import { renderStatusComment } from '../report/render-status-comment.ts';
import { statusReport } from '../report/status-report.ts';
import { unsandboxedNote } from '../report/unsandboxed-note.ts';

export interface ReportParams {
  inputs: { phase: Phase; session: string; issueNumber: number };
  repo: { owner: string; repo: string };
  trust: StateTrust;
  run?: { id: number; url: string; sha?: string };
  octokit: Octokit;
  redact: (text: string) => string;
  log: { warning: (message: string) => void };
  writeSummary: (markdown: string) => Promise<void>;
}

/**
 * The sticky status comment (only where `statusComment` is set: the write job, which holds the state key and the
 * write token) and the job summary. Their failure is a warning, never a lost phase: the artifact and
 * ledger are the record, and the app rebuilds the comment from them.
 */
export async function reportToGitHub(
  p: ReportParams,
  result: PhaseReport,
  { statusComment, notices = [] }: { statusComment: boolean; notices?: readonly string[] },
): Promise<void> {
  const { inputs } = p;
  // Loud in the log too, not only in the transcript (both jobs: the write job says what the agent job recorded).
  const row = statusReport(result.ledger).phases.find((r) => r.phase === inputs.phase);
  const note = row && unsandboxedNote(row);
  if (note) p.log.warning(note);
  if (statusComment) await updateStatusComment(p, result, notices);
  try {
    const body = result.body;
    const summary = {
      ledger: result.ledger,
      phase: inputs.phase,
      attempt: result.attempt,
      outcome: result.outcome,
      body,
    };
    await p.writeSummary(renderJobSummary(summary as Parameters<typeof renderJobSummary>[0]));
  } catch (error) {
    p.log.warning(`could not write the job summary: ${p.redact(String(error))}`);
  }
}

/** The sealed status comment: the ledger's new digest and this run, for the app and the next job to trust. */
async function updateStatusComment(
  p: ReportParams,
  result: PhaseReport,
  notices: readonly string[],
): Promise<void> {
  const { inputs } = p;
  try {
    const previous = await readStatusComment(p.octokit, p.repo, inputs.issueNumber, p.trust, inputs.session);
    const recorded = { runs: previous?.marker.runs ?? [] };
    const { runs } = p.run
      ? withRun(recorded, {
          phase: inputs.phase,
          attempt: result.attempt,
          runId: p.run.id,
          conclusion: result.outcome,
        })
      : recorded;
    // The ledger now holds every command the app had carried out (this job replayed them): none are pending.
    const marker = sealMarker(
      statusMarkerFor(result.ledger, {
        repo: p.trust.repo,
        issueNumber: inputs.issueNumber,
        version: (previous?.marker.version ?? 0) + 1,
        runs,
        ...(p.run ? { lastRunId: p.run.id } : {}),
        ...(p.run?.sha ? { lastRunSha: p.run.sha } : {}),
        ...(previous?.marker.task ? { task: previous.marker.task } : {}),
      }),
      p.trust.key,
    );
    const runsUrl = p.run?.url.replace(/\/\d+$/, '');
    const review = result.body
      ? ({ phase: inputs.phase, attempt: result.attempt, body: result.body } as PhaseRunResult)
      : undefined;
    const body = renderStatusComment({
      ledger: result.ledger,
      marker,
      result: review,
      notices,
      ...(runsUrl ? { runUrl: (id: number) => `${runsUrl}/${id}` } : {}),
    });
    await upsertStatusComment(p.octokit, p.repo, inputs.issueNumber, body, {
      session: inputs.session,
      known: previous,
      trust: p.trust,
    });
  } catch (error) {
    p.log.warning(
      `could not update the status comment on #${inputs.issueNumber}: ${p.redact(String(error))}`,
    );
  }
}
