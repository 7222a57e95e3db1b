import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Interrupts, StopSignal } from '../../local/interrupts.ts';
import { UserError } from '../../local/user-error.ts';
import { checkScriptText, parseScript, type ScriptProblem } from '../../replay/load-script.ts';
import { startReplayServer } from '../../replay/replay-server.ts';
import type { ReplayScript } from '../../replay/script-schema.ts';
import type { CliIo } from '../compose.ts';

const FORMAT_DOC = 'docs/replay-scripts.md';

export interface ReplayServeOptions {
  /** The script as the person typed it (shown), resolved against `cwd` to read. */
  script: string;
  cwd: string;
  port?: string;
  check: boolean;
}

/**
 * `ipo replay serve SCRIPT [--port N] [--check]`: a local Messages API that answers from a replay script until
 * SIGINT/SIGTERM, then lists the turns nobody asked for. `--check` only validates the script.
 */
export async function runReplayServe(
  io: CliIo,
  interrupts: Interrupts,
  options: ReplayServeOptions,
): Promise<number> {
  const port = parsePort(options.port);
  const path = options.script;
  const text = await readScriptText(resolve(options.cwd, path), path);
  const problems = checkScriptText(text, path);
  if (problems.length > 0) {
    io.err(problems.map((problem) => `${formatProblem(path, problem)}\n`).join(''));
    throw new UserError(
      `replay script ${path} has ${problems.length} problem${problems.length === 1 ? '' : 's'} (listed above); the format is described in ${FORMAT_DOC}`,
    );
  }
  const script = parseScript(text, path);
  if (options.check) {
    io.out(`${path}: valid, ${describeScript(script)}\n`);
    return 0;
  }

  const server = await startReplayServer({ script, port, source: path }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UserError(
        `port ${port} is in use: pick another with --port, or leave --port out for a free one`,
      );
    }
    throw error;
  });
  io.out(
    [
      `Replaying ${path} (${describeScript(script)}) as the Anthropic Messages API at ${server.url}`,
      'To run ipo against it, in another shell:',
      `  export ANTHROPIC_BASE_URL=${server.url} ANTHROPIC_API_KEY=replay`,
      '  ipo start <task>',
      'Stop with Ctrl-C: the turns of the script that were not used are listed then.',
      '',
    ].join('\n'),
  );
  let stop: (signal: StopSignal) => void = () => {};
  const stopped = new Promise<StopSignal>((done) => {
    stop = done;
  });
  const signal = await interrupts.guard(
    (received) => stop(received),
    () => stopped,
  );
  await server.close();

  const refused = server.requests.filter((request) => (request.status ?? 0) >= 400 && !request.fault);
  const lines = [`Stopped by ${signal} after ${server.requests.length} request(s).`];
  if (refused.length > 0) {
    lines.push(`Refused ${refused.length} request(s) (the phase saw these as API errors):`);
    for (const request of refused) {
      lines.push(
        `  ${request.method} ${request.path} → ${request.status}: ${firstLine(request.error ?? '')}`,
      );
    }
  }
  const unused = server.remaining();
  if (unused.length === 0) {
    lines.push('Every turn of the script was used.');
  } else {
    // The sign a team looks for: its phase-skill override made a phase ask less, or differently, than scripted.
    lines.push(
      `Not used: ${unused.length} turn(s) of the script; the phases asked fewer or different questions than scripted:`,
      ...unused.map((turn) => `  ${turn}`),
    );
  }
  io.out(`${lines.join('\n')}\n`);
  return 0;
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new UserError(
      `--port ${value} is not a port: give a number from 1 to 65535 (or 0 for a free one)`,
      2,
    );
  }
  return port;
}

async function readScriptText(file: string, shown: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new UserError(
        `replay script ${shown} not found (looked at ${file}): give the path of a .yaml, .yml or .json script; the format is described in ${FORMAT_DOC}`,
      );
    }
    if (code === 'EISDIR') throw new UserError(`replay script ${shown} is a directory: give the script file`);
    throw error;
  }
}

function formatProblem(path: string, problem: ScriptProblem): string {
  const where = problem.line !== undefined ? `${path}:${problem.line}` : path;
  return `${where}: ${problem.field ? `${problem.field}: ` : ''}${problem.message}`;
}

function describeScript(script: ReplayScript): string {
  const turns = script.conversations.reduce((sum, conversation) => sum + conversation.turns.length, 0);
  const names = script.conversations.map((c) => `${c.name} (${c.turns.length})`).join(', ');
  return `${script.conversations.length} conversation(s), ${turns} turn(s): ${names}`;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
