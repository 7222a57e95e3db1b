import { homedir, userInfo } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { AgentEvent } from '../agent/agent-types.ts';
import { overloadRetryFromEnv } from '../agent/overload-retry.ts';
import { createRedactor } from '../agent/redact.ts';
import { buildCommandEnv, secretEnvValues } from '../agent/tools/command-env.ts';
import type { Phase } from '../core/phases.ts';
import { type Interrupts, type StopSignal, signalExitCode } from '../local/interrupts.ts';
import { worktreeRoot } from '../local/local-paths.ts';
import type { LocalSessionDeps } from '../local/local-session.ts';
import { UserError } from '../local/user-error.ts';
import { sandboxHostFrom } from '../sandbox/open-sandbox.ts';
import { createProgressPrinter, type ProgressPrinter } from './render/progress.ts';

/** Model settings a phase process receives; nothing else from the parent's environment crosses over. */
const MODEL_ENV = [
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_BASE_URL',
  'IPO_REPLAY',
  'IPO_MODEL_OVERLOAD_WAIT_S',
] as const;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  isTTY: boolean;
  /** Asks a yes/no question on the terminal (default no); absent when there is no terminal to ask. */
  confirm?: (question: string) => Promise<boolean>;
}

/** The CLI's composition root: the only place that reads `process.env` and the terminal. */
export function composeCli(env: NodeJS.ProcessEnv = process.env): { io: CliIo; env: NodeJS.ProcessEnv } {
  return {
    env,
    io: {
      out: quietWhenClosed(process.stdout),
      err: quietWhenClosed(process.stderr),
      isTTY: Boolean(process.stdout.isTTY) && env.CI !== 'true',
      ...(process.stdin.isTTY && process.stdout.isTTY ? { confirm: askOnTerminal } : {}),
    },
  };
}

/**
 * A writer that goes quiet once the reader has gone (`ipo log | head`: EPIPE). The command itself runs on to its
 * end, so a phase is recorded as it finished instead of the process dying mid-phase with a stack trace.
 */
function quietWhenClosed(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') {
      closed = true;
      return;
    }
    throw error;
  });
  return (text) => {
    if (!closed && !stream.destroyed) stream.write(text);
  };
}

async function askOnTerminal(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^\s*y(es)?\s*$/i.test(await rl.question(question));
  } finally {
    rl.close();
  }
}

/** Dependencies of the local session commands. */
export function composeSession(
  io: CliIo,
  env: NodeJS.ProcessEnv,
  options: { cwd: string; actor?: string },
): LocalSessionDeps {
  const phaseEnv: Record<string, string> = buildCommandEnv(env);
  for (const name of MODEL_ENV) {
    const value = env[name];
    if (value) phaseEnv[name] = value;
  }
  let printer: ProgressPrinter | null = null;
  let printerPhase: Phase | null = null;
  const onEvent = (phase: Phase, event: AgentEvent) => {
    if (printerPhase !== phase) {
      printer?.done();
      printer = createProgressPrinter({ write: io.out, isTTY: io.isTTY, phase });
      printerPhase = phase;
    }
    printer?.(event);
  };
  return {
    cwd: options.cwd,
    worktreeRoot: worktreeRoot(cacheHome(env)),
    interrupts: processInterrupts(),
    actor: options.actor ?? env.IPO_ACTOR ?? localUser(env),
    now: () => new Date(),
    phaseEnv,
    onEvent,
    log: (line) => {
      printer?.done();
      printer = null;
      printerPhase = null;
      io.out(`${line}\n`);
    },
    requireModelKey: () => {
      if (!env.ANTHROPIC_API_KEY) {
        throw new UserError(
          'ANTHROPIC_API_KEY is not set: export it to run phases against the Anthropic API, or run `ipo demo` for an offline session with replayed responses',
        );
      }
    },
  };
}

/** The model client, redactor, command environment and sandbox host of one phase process. */
export async function composePhaseProcess(env: NodeJS.ProcessEnv, phase: Phase) {
  const apiKey = env.ANTHROPIC_API_KEY;
  // Commit calls no model: `ipo proceed commit` in a new shell without the key must not fail (and record a failure).
  if (!apiKey && phase !== 'commit')
    throw new UserError('ANTHROPIC_API_KEY is not set for the phase process');
  // Loaded here, not at the top: only phase processes talk to the model, and the SDK is most of the CLI's start-up time.
  const { createModelClient } = await import('../agent/model-client.ts');
  const client = createModelClient({ key: apiKey || null, baseURL: env.ANTHROPIC_BASE_URL });
  return {
    client,
    overloadRetry: overloadRetryFromEnv(env),
    redact: createRedactor(secretEnvValues(env)),
    commandEnv: buildCommandEnv(env),
    sandboxHost: sandboxHostFrom(env),
  };
}

/** `$XDG_CACHE_HOME`, or `~/.cache` (the XDG default; a relative value is ignored, as the spec says). */
export function cacheHome(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return xdg;
  return join(env.HOME || homedir(), '.cache');
}

let interrupts: Interrupts | undefined;

/**
 * SIGINT/SIGTERM of this process, installed once. Outside a guard a signal ends ipo at once with 130/143 (what is
 * half done, the next command recovers); inside one (a phase process running) the guard decides.
 */
export function processInterrupts(): Interrupts {
  if (interrupts) return interrupts;
  let received: StopSignal | undefined;
  let count = 0;
  let onSignal: ((signal: StopSignal, count: number) => void) | undefined;
  const handle = (signal: StopSignal) => {
    count += 1;
    received ??= signal;
    if (onSignal) onSignal(signal, count);
    else process.exit(signalExitCode(signal));
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
  interrupts = {
    received: () => received,
    guard: async (handler, work) => {
      onSignal = handler;
      try {
        return await work();
      } finally {
        onSignal = undefined;
      }
    },
  };
  return interrupts;
}

function localUser(env: NodeJS.ProcessEnv): string {
  try {
    return env.USER || userInfo().username || 'local';
  } catch {
    return 'local';
  }
}
