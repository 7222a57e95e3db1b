import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { killRunningCommands } from '../../agent/tools/run-process.ts';
import type { Phase } from '../../core/phases.ts';
import { IPO_IDENTITY } from '../../git/git.ts';
import { identityFor } from '../../git/repo.ts';
import { runPhaseJob } from '../../job/run-phase-job.ts';
import { parseConfig } from '../../settings/parse-config.ts';
import { composePhaseProcess } from '../compose.ts';

export interface RunPhaseOptions {
  stateDir: string;
  outDir: string;
  workspace: string;
  /** Stop when stdin closes: the local runner's pipe, closed by the kernel when that ipo dies (even by SIGKILL). */
  endWithParent?: boolean;
}

/**
 * `ipo run-phase <phase>`: the isolated child process of one phase. It reads only its input directory and its
 * workspace; progress goes to stdout as JSON lines, the outcome to the output directory.
 */
export async function runPhaseCommand(
  phase: Phase,
  options: RunPhaseOptions,
  env: NodeJS.ProcessEnv,
  write: (text: string) => void,
): Promise<number> {
  const stopWatching = stopWithSignals(options.endWithParent === true);
  try {
    return await runPhase(phase, options, env, write);
  } finally {
    stopWatching();
  }
}

/**
 * A signal (or, with `endWithParent`, the parent's end) kills the phase's running commands and exits at once: the
 * parent records the run as failed, and nothing the phase started runs on unrecorded.
 */
export function stopWithSignals(endWithParent: boolean): () => void {
  const stop = (code: number) => {
    killRunningCommands();
    process.exit(code);
  };
  const onInt = () => stop(130);
  const onTerm = () => stop(143);
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  if (endWithParent) {
    process.stdin.on('end', onTerm);
    process.stdin.on('error', onTerm);
    process.stdin.resume();
  }
  return () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    if (endWithParent) {
      process.stdin.off('end', onTerm);
      process.stdin.off('error', onTerm);
      // A paused, destroyed stdin no longer holds the event loop open.
      process.stdin.destroy();
    }
  };
}

async function runPhase(
  phase: Phase,
  options: RunPhaseOptions,
  env: NodeJS.ProcessEnv,
  write: (text: string) => void,
): Promise<number> {
  const { client, overloadRetry, redact, commandEnv, sandboxHost } = await composePhaseProcess(env, phase);
  const configText = await readFile(join(options.stateDir, 'ipo.yml'), 'utf8');
  const feedback = await readFile(join(options.stateDir, 'feedback.md'), 'utf8').catch(() => undefined);
  const result = await runPhaseJob({
    phase,
    stateDir: options.stateDir,
    outDir: options.outDir,
    workspace: options.workspace,
    config: parseConfig(configText, '.github/ipo.yml'),
    skill: await readFile(join(options.stateDir, 'SKILL.md'), 'utf8'),
    ...(feedback ? { feedback } : {}),
    model: {
      client,
      onEvent: (event) => write(`${JSON.stringify({ event })}\n`),
      ...(overloadRetry ? { overloadRetry } : {}),
    },
    commandEnv,
    sandboxHost,
    redact,
    identity: await identityFor(options.workspace, IPO_IDENTITY),
    now: () => new Date(),
  });
  // The parent adopts the out-dir only as these digests say it was written (`readExport`).
  write(
    `${JSON.stringify({ outcome: result.outcome, message: result.message, exported: result.exported })}\n`,
  );
  return 0;
}
