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
import { renderStatus, statusJson } from '../../report/render-status.ts';
import { setupSummary } from '../../report/setup-summary.ts';
import { statusReport } from '../../report/status-report.ts';
import type { Ledger } from '../../state/ledger.ts';
import { type CliIo, composeSession } from '../compose.ts';
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
  return interruptedExit(ctx, report) ?? printReport(ctx, report);
}

/** proceed / retry / rollback / cancel */
export async function sessionCommand(ctx: CliContext, command: Command): Promise<number> {
  const report = await giveCommand(deps(ctx), command, ctx.session);
  return interruptedExit(ctx, report) ?? printReport(ctx, report);
}

/** A run stopped by SIGINT/SIGTERM: the report, one line on how to go on, and the shell's 130/143. */
function interruptedExit(ctx: CliContext, report: CommandReport): number | undefined {
  const run = report.runs.find((r) => r.interrupted);
  if (!run?.interrupted) return undefined;
  printReport(ctx, report);
  ctx.io.err(
    `ipo: ${run.phase} attempt ${run.attempt} stopped by ${run.interrupted} and recorded as failed; to go on: \`ipo retry ${run.phase}\`\n`,
  );
  return signalExitCode(run.interrupted);
}

/** `ipo status [--json]`: read only, so it also shows a phase whose ipo process is gone as interrupted. */
export async function showStatus(ctx: CliContext, json: boolean): Promise<number> {
  const { repo, ledger } = await readSession(ctx.cwd, ctx.session);
  const running = await runningState(repo, ledger);
  if (json) {
    ctx.io.out(`${JSON.stringify({ ...statusJson(ledger), ...(running ? { running } : {}) }, null, 2)}\n`);
    return 0;
  }
  ctx.io.out(`${renderStatus(ledger, { now: new Date(), color: ctx.io.isTTY })}\n`);
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

/** What happened and what the person can type next; exit 1 when a phase failed or blocked. */
export function printReport(ctx: CliContext, report: CommandReport): number {
  const { io } = ctx;
  for (const run of report.runs) {
    const mark = run.outcome === 'succeeded' ? '✓' : run.outcome === 'blocked' ? '■' : '✗';
    io.out(
      `${mark} ${run.phase} attempt ${run.attempt} ${run.outcome}${run.outcome === 'succeeded' ? '' : `: ${run.message}`}\n`,
    );
    const setup = setupSummary(run.setup);
    if (setup) io.out(`  set-up: ${setup}\n`);
  }
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
