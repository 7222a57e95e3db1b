import { sealMarker } from '../github/marker-trust.ts';
import { statusMarkerFor, withRun } from '../github/status-marker.ts';
import { readStatusComment, upsertStatusComment } from '../github/sticky-comment.ts';
import type { PhaseJobResult } from '../job/run-phase-job.ts';
import { renderJobSummary } from '../report/job-summary.ts';
import { renderStatusComment } from '../report/render-status-comment.ts';
import type { ActionParams } from './main.ts';

/**
 * The sticky status comment and the job summary. Their failure is a warning, never a lost phase: the artifact and
 * ledger are the record, and the app rebuilds the comment from them.
 */
export async function reportToGitHub(p: ActionParams, result: PhaseJobResult): Promise<void> {
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
    const body = renderStatusComment({
      ledger: result.ledger,
      marker,
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
