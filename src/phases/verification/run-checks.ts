import { type Redactor, redactKnownShapes } from '../../agent/redact.ts';
import { type ProcessResult, runProcess } from '../../agent/tools/run-process.ts';
import type { Sandbox } from '../../sandbox/sandbox.ts';
import { sandboxNotes } from '../../sandbox/sandbox-notes.ts';
import type { Check } from '../../state/artifacts/verification.ts';

/** The schema's ceiling for `outputTail`. */
export const MAX_OUTPUT_TAIL_CHARS = 8000;
/** Default tail per check: enough for a test runner's failure summary, small enough for a ~2k-token handoff. */
export const DEFAULT_OUTPUT_TAIL_CHARS = 3000;

export interface RunChecksOptions {
  /** Shell command lines, run in order with `/bin/sh -c`. */
  commands: readonly string[];
  cwd: string;
  /** The whole environment of each command, already filtered by the caller (`buildCommandEnv`). */
  env: Readonly<Record<string, string>>;
  /** The OS sandbox every check runs in: the checks are the repository's tests as the model changed them. */
  sandbox: Sandbox;
  /** Time limit of each command; on expiry its whole process group is killed. */
  timeoutMs: number;
  /** Characters of output kept per check, reason line included (it is always kept); capped at 8000, the schema's limit. */
  outputTailChars?: number;
  /** Clock for `durationMs`. */
  now?: () => number;
  /** Applied to the kept output. Default: known credential shapes. */
  redact?: Redactor;
  /**
   * `setup`: the commands install what the checks need, so each depends on the one before: the first that does not
   * pass is the last run, and any failure is an environment failure (nothing of the change was tested).
   */
  role?: 'check' | 'setup';
}

/** The facts of one finished command that decide its kind. */
export interface CheckOutcome {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** The kept tail of combined stdout/stderr. */
  output: string;
}

export interface Classification {
  kind: Check['kind'];
  /** Why it is an environment failure, one line; absent for passed and test-failure. */
  reason?: string;
}

/** Shells' "not found" lines (dash `sh: 1: x: not found`, bash `bash: line 1: x: command not found`, zsh). */
const SHELL_NOT_FOUND =
  /^(?:\S*\/)?[a-z]*sh: (?:line )?(?:\d+: )?.+: (?:command )?not found$|^zsh: command not found: /m;
/** npm ≤ 8 (`npm ERR! missing script: test`) and npm ≥ 9 (`npm error Missing script: "test"`). */
const NPM_MISSING_SCRIPT = /^npm (?:ERR!|error) missing script:/im;
/**
 * Node itself dying of an unresolved module: the error and node's fatal-error footer (`Node.js vX`) both at a line
 * start. A runner reporting a test file's bad import (node --test prefixes it with `# `, vitest prints no footer)
 * stays a test failure: that import may be the implementation's mistake.
 */
const NODE_MODULE_MISSING = /^Error(?: \[ERR_MODULE_NOT_FOUND\])?: Cannot find (?:module|package) /m;
const NODE_FATAL_FOOTER = /^Node\.js v\d+/m;

/** Runs every configured check (a failure does not stop the rest) and records each as a verification `Check`. */
export async function runChecks(options: RunChecksOptions): Promise<Check[]> {
  // Refuse bad options before anything runs: half a set of checks is worse than none.
  const limit = tailLimit(options.outputTailChars);
  const blank = options.commands.findIndex((command) => command.trim() === '');
  const key = options.role === 'setup' ? 'verification.setup' : 'verification.commands';
  if (blank >= 0) throw new Error(`${key}[${blank}] is empty: give a shell command line`);
  const checks: Check[] = [];
  for (const command of options.commands) {
    const check = await runCheck(command, limit, options);
    checks.push(check);
    if (options.role === 'setup' && check.kind !== 'passed') break;
  }
  return checks;
}

async function runCheck(command: string, limit: number, options: RunChecksOptions): Promise<Check> {
  const now = options.now ?? Date.now;
  const started = now();
  let result: ProcessResult;
  try {
    result = await runProcess({
      file: '/bin/sh',
      args: ['-c', command],
      cwd: options.cwd,
      env: options.env,
      timeoutMs: options.timeoutMs,
      sandbox: options.sandbox,
      // Bytes, generously: a character is up to 4 bytes, and extra room keeps a secret cut at the byte
      // boundary far from the kept characters (a partial secret would slip past the redactor).
      capBytes: limit * 4 + 4096,
    });
  } catch (error) {
    // spawn failed (missing cwd or shell): nothing ran.
    const message = error instanceof Error ? error.message : String(error);
    const reason = `could not start /bin/sh in ${options.cwd}${options.sandbox.mode === 'bwrap' ? ' (in the sandbox)' : ''}: ${message}`;
    const outcome = { exitCode: null, elapsedMs: now() - started, output: '', omittedBytes: 0 };
    return buildCheck(command, { kind: 'environment-failure', reason }, outcome, limit, options.redact);
  }
  const outcome = {
    // The schema's null means "killed": a shell that traps SIGTERM and exits 143 was still killed.
    exitCode: result.timedOut ? null : result.exitCode,
    elapsedMs: now() - started,
    // Appended, so the tail keeps them: the reader of the artifact learns what the sandbox did.
    output: result.output + sandboxNotes(options.sandbox, result),
    omittedBytes: result.omittedBytes,
  };
  const classified = classifyCheck(result, options.timeoutMs);
  const kind: Classification =
    options.role === 'setup' && classified.kind === 'test-failure'
      ? { kind: 'environment-failure', reason: `set-up command failed (exit ${result.exitCode})` }
      : classified;
  return buildCheck(command, kind, outcome, limit, options.redact);
}

/** passed / test-failure / environment-failure (with a one-line reason) for a finished command. */
export function classifyCheck(outcome: CheckOutcome, timeoutMs: number): Classification {
  const env = (reason: string): Classification => ({ kind: 'environment-failure', reason });
  if (outcome.timedOut) {
    return env(
      `timed out after ${formatSeconds(timeoutMs)}; the command and its child processes were killed`,
    );
  }
  const code = outcome.exitCode;
  if (code === null) return env(`killed by signal ${outcome.signal ?? 'unknown'}`);
  if (code === 0) return { kind: 'passed' };
  if (code === 127) return env('command not found (exit 127)');
  if (code === 126) return env('command not executable (exit 126)');
  if (SHELL_NOT_FOUND.test(outcome.output)) return env(`command not found (exit ${code})`);
  if (NPM_MISSING_SCRIPT.test(outcome.output)) return env(`npm script missing (exit ${code})`);
  if (NODE_MODULE_MISSING.test(outcome.output) && NODE_FATAL_FOOTER.test(outcome.output)) {
    return env(`Node could not find a module at startup (exit ${code})`);
  }
  return { kind: 'test-failure' };
}

interface RunOutcome {
  exitCode: number | null;
  elapsedMs: number;
  output: string;
  omittedBytes: number;
}

function buildCheck(
  command: string,
  { kind, reason }: Classification,
  run: RunOutcome,
  limit: number,
  redact: Redactor = redactKnownShapes,
): Check {
  const head = reason === undefined ? '' : `[ipo: ${oneLine(redact(reason))}]\n`;
  return {
    command,
    exitCode: run.exitCode,
    durationMs: Math.max(0, Math.round(run.elapsedMs)),
    outputTail: formatTail(head, redact(run.output), run.omittedBytes, limit),
    kind,
  };
}

/** `head`, then `[… earlier output omitted …]` when output was cut, then as much of the output's end as fits. */
function formatTail(head: string, output: string, omittedBytes: number, limit: number): string {
  if (omittedBytes === 0 && head.length + output.length <= limit) return `${head}${output}`;
  const marker = '[… earlier output omitted …]\n';
  const room = Math.max(0, limit - head.length - marker.length);
  return `${head}${marker}${keepLast(output, room)}`;
}

/** The last `max` UTF-16 units of `text`, without opening on the low half of a surrogate pair. */
function keepLast(text: string, max: number): string {
  if (text.length <= max) return text;
  let start = text.length - max;
  const code = text.charCodeAt(start);
  if (code >= 0xdc00 && code <= 0xdfff) start += 1;
  return text.slice(start);
}

function tailLimit(requested: number | undefined): number {
  const chars = requested ?? DEFAULT_OUTPUT_TAIL_CHARS;
  if (!Number.isInteger(chars) || chars < 1)
    throw new Error(`outputTailChars must be a positive integer, got ${chars}`);
  return Math.min(chars, MAX_OUTPUT_TAIL_CHARS);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
}
