import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runSandbox } from './sandbox/run-sandbox.ts';

const USAGE = `Usage: npm run sandbox [-- --script <file>]

Plays ipo's GitHub flow on loopback: a local GitHub, the real app, a runner for the phase jobs and a replayed
model. Interactive at a terminal; with --script (or stdin not a terminal) it reads one command per line
(# comments and blank lines skipped), echoes each with its output and exits 1 at the first failed command.`;

/** Reads argv and the process's streams and signals, runs the sandbox, sets the exit code. */
async function run(): Promise<void> {
  let values: { script?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { script: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  // npm runs scripts from the package root; a relative path means the directory the person typed it in.
  const script = values.script && resolve(process.env.INIT_CWD ?? process.cwd(), values.script);
  if (script) {
    try {
      await access(script);
    } catch {
      console.error(`cannot read the command file ${script}\n\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
  }
  const input = script ? createReadStream(script) : process.stdin;
  const controller = new AbortController();
  let signals = 0;
  const onSignal = () => {
    signals += 1;
    // The first signal stops cleanly after the current command; a second one means "now".
    if (signals === 1) controller.abort();
    else process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    process.exitCode = await runSandbox({
      input,
      output: process.stdout,
      interactive: !script && process.stdin.isTTY === true,
      signal: controller.signal,
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

await run();
