import { userInfo } from 'node:os';
import type { AgentEvent } from '../agent/agent-types.ts';
import { overloadRetryFromEnv } from '../agent/overload-retry.ts';
import { createRedactor } from '../agent/redact.ts';
import { buildCommandEnv, secretEnvValues } from '../agent/tools/command-env.ts';
import type { Phase } from '../core/phases.ts';
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
}

/** The CLI's composition root: the only place that reads `process.env` and the terminal. */
export function composeCli(env: NodeJS.ProcessEnv = process.env): { io: CliIo; env: NodeJS.ProcessEnv } {
  return {
    env,
    io: {
      out: quietWhenClosed(process.stdout),
      err: quietWhenClosed(process.stderr),
      isTTY: Boolean(process.stdout.isTTY) && env.CI !== 'true',
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
  const { default: Anthropic } = await import('@anthropic-ai/sdk');
  const client = new Anthropic({
    apiKey: apiKey || null,
    ...(env.ANTHROPIC_BASE_URL ? { baseURL: env.ANTHROPIC_BASE_URL } : {}),
    maxRetries: 4,
    logLevel: 'off',
  });
  return {
    client,
    overloadRetry: overloadRetryFromEnv(env),
    redact: createRedactor(secretEnvValues(env)),
    commandEnv: buildCommandEnv(env),
    sandboxHost: sandboxHostFrom(env),
  };
}

function localUser(env: NodeJS.ProcessEnv): string {
  try {
    return env.USER || userInfo().username || 'local';
  } catch {
    return 'local';
  }
}
