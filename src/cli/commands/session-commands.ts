import type { Command } from '../../core/commands/command.ts';
import {
  type CommandReport,
  giveCommand,
  readSession,
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
  return printReport(ctx, report);
}

/** proceed / retry / rollback / cancel */
export async function sessionCommand(ctx: CliContext, command: Command): Promise<number> {
  const report = await giveCommand(deps(ctx), command, ctx.session);
  return printReport(ctx, report);
}

/** `ipo status [--json]` */
export async function showStatus(ctx: CliContext, json: boolean): Promise<number> {
  const ledger = await readSession(ctx.cwd, ctx.session);
  ctx.io.out(
    json
      ? `${JSON.stringify(statusJson(ledger), null, 2)}\n`
      : `${renderStatus(ledger, { now: new Date(), color: ctx.io.isTTY })}\n`,
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
