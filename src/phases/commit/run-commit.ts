import { buildCommitMessage, commitTrailers } from '../../core/commit/commit-message.ts';
import type { GatedPhase } from '../../core/phases.ts';
import { squash } from '../../git/commits.ts';
import { revParse } from '../../git/repo.ts';
import type { Ledger } from '../../state/ledger.ts';
import { type PhaseContext, type PhaseOutput, requireInput } from '../phase-context.ts';

/**
 * Commit: no model. Squashes the session's commits into one Conventional Commit with ipo's trailers. Refuses unless
 * verification passed; the pre-squash head stays in the ledger (`bases.commit`) so a rollback can restore it.
 */
export async function runCommit(ctx: PhaseContext): Promise<PhaseOutput<'commit'>> {
  const verification = requireInput(ctx, 'verification', 'commit');
  const implementation = requireInput(ctx, 'implementation', 'commit');
  const head = await revParse(ctx.workspace, 'HEAD');
  if (verification.verdict !== 'pass') {
    return {
      outcome: 'failed',
      message: 'refusing to commit: the verification verdict is fail',
      head,
      transcript: [],
    };
  }
  const approved = ctx.ledger.bases.commit ?? implementation.headSha;
  if (head !== approved) {
    const message = `refusing to commit: the session branch is at ${head.slice(0, 7)}, but ${approved.slice(0, 7)} was approved`;
    return { outcome: 'failed', message, head, transcript: [] };
  }
  const { config, ledger } = ctx;
  const passed = verification.criteria.filter((c) => c.status === 'pass').length;
  const trailers = commitTrailers({
    session: ledger.session,
    taskId: ledger.taskId,
    passed,
    total: verification.criteria.length,
    approvals: currentApprovals(ledger),
    models: modelsUsed(ledger),
    assistedBy: config.commit.assistedBy,
  });
  const message = buildCommitMessage({
    type: config.commit.type,
    scope: config.commit.scope,
    // What the change does, in the implementer's words, when it gave them; the roadmap's heading otherwise.
    subject: implementation.commitSubject ?? ledger.task.title,
    body: implementation.summary,
    trailers,
  });
  const commitSha = await squash(ctx.workspace, implementation.baseSha, message, ctx.identity);
  return {
    outcome: 'succeeded',
    body: { commitSha, message, trailers, pr: null },
    head: commitSha,
    transcript: [],
  };
}

/** The approval that opened each gate in the session's current round (the latest per gate). */
function currentApprovals(ledger: Ledger): { gate: GatedPhase; approver: string }[] {
  const latest = new Map<GatedPhase, string>();
  for (const approval of ledger.approvals) latest.set(approval.gate, approval.approver);
  return [...latest].map(([gate, approver]) => ({ gate, approver }));
}

/** Distinct models of the runs that succeeded, for `Assisted-by`. */
function modelsUsed(ledger: Ledger): string[] {
  const models = ledger.runs.flatMap((run) =>
    run.status === 'succeeded' && run.metrics ? [run.metrics.model] : [],
  );
  return [...new Set(models)];
}
