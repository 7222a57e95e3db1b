import type { Command } from '../../core/commands/command.ts';
import { signalExitCode } from '../../local/interrupts.ts';
import {
  type CommandReport,
  giveCommand,
  readSession,
  runningState,
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
import { replayNotice } from '../replay-notice.ts';

export interface CliContext {
  io: CliIo;
  env: NodeJS.ProcessEnv;
  cwd: string;
  session?: string;
  actor?: string;
}

/** `ipo start X.Y` */
export async function start(ctx: CliContext, taskId: string, options: StartOptions = {}): Promise<number> {
  const report = await startSession(await replayAwareDeps(ctx), taskId, options);
  return (await interruptedExit(ctx, report)) ?? printReportWithReviews(ctx, report);
}

/** proceed / retry / rollback / cancel */
export async function sessionCommand(ctx: CliContext, command: Command): Promise<number> {
  // Only the commands that run a model phase ask; commit runs none.
  const runsModel = (command.name === 'proceed' || command.name === 'retry') && command.phase !== 'commit';
  const report = await giveCommand(runsModel ? await replayAwareDeps(ctx) : deps(ctx), command, ctx.session);
  return (await interruptedExit(ctx, report)) ?? printReportWithReviews(ctx, report);
}

/**
 * Deps that say, under the first line of an accepted command (before any phase runs), that the model answers come
 * from `ipo replay serve`, as `ipo demo` says. A refused command prints nothing, so its stdout stays empty.
 */
async function replayAwareDeps(ctx: CliContext) {
  const base = deps(ctx);
  const notice = await replayNotice(ctx.env);
  if (!notice) return base;
  let said = false;
  return {
    ...base,
    log: (line: string) => {
      base.log(line);
      if (!said) base.log(notice);
      said = true;
    },
  };
}

/** A run stopped by SIGINT/SIGTERM: the report, one line on how to go on, and the shell's 130/143. */
async function interruptedExit(ctx: CliContext, report: CommandReport): Promise<number | undefined> {
  const run = report.runs.find((r) => r.interrupted);
  if (!run?.interrupted) return undefined;
  await printReportWithReviews(ctx, report);
  ctx.io.err(
    `ipo: ${run.phase} attempt ${run.attempt} stopped by ${run.interrupted} and recorded as failed; to go on: \`ipo retry ${run.phase}\`\n`,
  );
  return signalExitCode(run.interrupted);
}

/** `ipo status [--json]`: read only, so it also shows a phase whose ipo process is gone as interrupted. */
export async function showStatus(ctx: CliContext, json: boolean): Promise<number> {
  const { repo, ledger } = await readSession(ctx.cwd, ctx.session);
  const running = await runningState(repo, ledger);
  const result = await readLatestResult(repo, ledger);
  if (json) {
    ctx.io.out(
      `${JSON.stringify({ ...statusJson(ledger, { result }), ...(running ? { running } : {}) }, null, 2)}\n`,
    );
    return 0;
  }
  ctx.io.out(`${renderStatus(ledger, { now: new Date(), color: ctx.io.isTTY, result })}\n`);
  if (running && ledger.status.kind === 'running') {
    const { phase, attempt } = ledger.status;
    const next = `\`ipo retry ${phase}\`, \`ipo rollback <phase>\` or \`ipo cancel\` records it as failed first`;
    if (running.kind === 'interrupted') {
      ctx.io.out(
        `Interrupted: ${phase} attempt ${attempt} is not running any more (${running.reason}). ${next}.\n`,
      );
    } else if (running.kind === 'unknown') {
      ctx.io.out(
        `${phase} attempt ${attempt} was started by ipo on host ${running.host} (pid ${running.pid}); whether it still runs cannot be told from here.\n`,
      );
    }
  }
  return 0;
}

/** `ipo log` */
export async function showLog(ctx: CliContext): Promise<number> {
  const { ledger } = await readSession(ctx.cwd, ctx.session);
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
