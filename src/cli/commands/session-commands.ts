import type { Command } from '../../core/commands/command.ts';
import {
  type CommandReport,
  giveCommand,
  readSession,
  type StartOptions,
  startSession,
} from '../../local/local-session.ts';
import { terminalSafe } from '../../report/format.ts';
import { type PhaseRunResult, phaseReview } from '../../report/phase-review.ts';
import { renderStatus, reviewSection, statusJson } from '../../report/render-status.ts';
import { setupSummary } from '../../report/setup-summary.ts';
import { statusReport } from '../../report/status-report.ts';
import { createStyle } from '../../report/style.ts';
import type { Ledger } from '../../state/ledger.ts';
import { type CliIo, composeSession } from '../compose.ts';
import { readLatestResult, readRunResult } from '../read-run-result.ts';
import { renderAuditLog } from '../render/render-log.ts';

export interface CliContext {
  io: CliIo;
  env: NodeJS.ProcessEnv;
  cwd: string;
  session?: string;
  actor?: string;
}

/** `ipo start X.Y` */
export async function start(ctx: CliContext, taskId: string, options: StartOptions = {}): Promise<number> {
  const report = await startSession(deps(ctx), taskId, options);
  return printReportWithReviews(ctx, report);
}

/** proceed / retry / rollback / cancel */
export async function sessionCommand(ctx: CliContext, command: Command): Promise<number> {
  const report = await giveCommand(deps(ctx), command, ctx.session);
  return printReportWithReviews(ctx, report);
}

/** `ipo status [--json]` */
export async function showStatus(ctx: CliContext, json: boolean): Promise<number> {
  const ledger = await readSession(ctx.cwd, ctx.session);
  const result = await readLatestResult(ctx.cwd, ledger);
  ctx.io.out(
    json
      ? `${JSON.stringify(statusJson(ledger, { result }), null, 2)}\n`
      : `${renderStatus(ledger, { now: new Date(), color: ctx.io.isTTY, result })}\n`,
  );
  return 0;
}

/** `ipo log` */
export async function showLog(ctx: CliContext): Promise<number> {
  const ledger = await readSession(ctx.cwd, ctx.session);
  ctx.io.out(`${renderAuditLog(ledger)}\n`);
  return 0;
}

function deps(ctx: CliContext) {
  return composeSession(ctx.io, ctx.env, { cwd: ctx.cwd, ...(ctx.actor ? { actor: ctx.actor } : {}) });
}

/** `printReport` with the review of each run, read from the artifact it exported. */
export async function printReportWithReviews(ctx: CliContext, report: CommandReport): Promise<number> {
  const results = await Promise.all(
    report.runs.map((run) => readRunResult(ctx.cwd, run.ledger, run.phase, run.attempt)),
  );
  return printReport(ctx, report, results);
}

/**
 * What happened, what each run asks the person to approve (or why it stopped), and what they can type next; exit 1
 * when a phase failed or blocked.
 */
export function printReport(
  ctx: CliContext,
  report: CommandReport,
  results: readonly (PhaseRunResult | undefined)[] = [],
): number {
  const { io } = ctx;
  const style = createStyle(io.isTTY);
  report.runs.forEach((run, i) => {
    const mark = run.outcome === 'succeeded' ? '✓' : run.outcome === 'blocked' ? '■' : '✗';
    const why = run.outcome === 'succeeded' ? '' : `: ${terminalSafe(run.message)}`;
    io.out(`${mark} ${run.phase} attempt ${run.attempt} ${run.outcome}${why}\n`);
    const result = results[i];
    // The review has the set-up line; without one (no artifact) it is said here.
    const setup = setupSummary(run.setup);
    if (result) io.out(`${reviewSection(phaseReview(result), style).join('\n')}\n`);
    else if (setup) io.out(`  set-up: ${terminalSafe(setup)}\n`);
    if (run.outcome === 'failed') {
      io.out(
        `  The session, its branch and its work are kept: fix the cause, then \`ipo retry ${run.phase}\` runs ${run.phase} again.\n`,
      );
    }
  });
  if (report.runs.length === 0) io.out(`${report.message}\n`);
  io.out(nextSteps(report.ledger));
  return report.runs.some((r) => r.outcome !== 'succeeded') ? 1 : 0;
}

function nextSteps(ledger: Ledger): string {
  const { next } = statusReport(ledger);
  if (next.length === 0) return `Session ${ledger.session} is ${ledger.status.kind}.\n`;
  const lines = next.map((n) => `  ${n.cli.padEnd(32)} (comment: "${n.phrase}")`);
  return `Next, one of:\n${lines.join('\n')}\n`;
}
