import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';
import { DEMO_SCRIPT } from '../../src/cli/commands/demo.ts';
import { loadScript } from '../../src/replay/load-script.ts';
import { terminalSafe } from '../../src/report/format.ts';
import { COMMAND_NAMES, runCommand } from './run-command.ts';
import { renderBanner, SCRIPTED_PHRASES } from './sandbox-banner.ts';
import { SANDBOX_USERS, type Sandbox, startSandbox } from './start-sandbox.ts';

export interface SandboxIo {
  input: Readable;
  output: Writable;
  /**
   * A person at a terminal: a prompt with history and completion, a failed command is reported and the prompt
   * comes back. Otherwise commands are read line by line, each echoed with its output, and the first failure stops.
   */
  interactive: boolean;
  /**
   * Aborted when the process is asked to stop (SIGINT, SIGTERM): no new command starts, and without a terminal
   * the exit code is 130. Ctrl-C at the prompt is readline's, not a signal: it quits like `quit`.
   */
  signal?: AbortSignal;
}

const PROMPT = 'ipo> ';

/** Starts the sandbox, runs commands until `quit`, end of input or a stop, then tears it down; the exit code. */
export async function runSandbox(io: SandboxIo): Promise<number> {
  const say = (text: string) => {
    if (text !== '') io.output.write(text.endsWith('\n') ? text : `${text}\n`);
  };
  say('Starting the local GitHub, the app, the runner and the replayed model…');
  let sandbox: Sandbox;
  try {
    sandbox = await startSandbox({ script: await loadScript(DEMO_SCRIPT) });
  } catch (error) {
    say(
      `The sandbox could not start: ${terminalSafe(error instanceof Error ? error.message : String(error))}`,
    );
    return 1;
  }
  say(renderBanner(sandbox, 'examples/demo-replay.yaml'));
  const rl = createInterface({
    input: io.input,
    // Without a terminal, readline must not write: the echo below shows each command instead.
    ...(io.interactive ? { output: io.output, completer } : {}),
    terminal: io.interactive,
  });
  let busy = false;
  const stop = () => {
    if (busy) say('\nStopping after the current command…');
    rl.close();
  };
  rl.on('SIGINT', stop);
  io.signal?.addEventListener('abort', stop, { once: true });
  let failed = false;
  try {
    // Asked to stop while starting: nothing to read (a closed interface cannot be iterated).
    if (io.signal?.aborted) return io.interactive ? 0 : 130;
    if (io.interactive) {
      rl.setPrompt(PROMPT);
      rl.prompt();
    }
    for await (const line of rl) {
      const text = line.trim();
      if (!io.interactive) {
        if (text === '' || text.startsWith('#')) continue;
        say(`${PROMPT}${text}`);
      }
      busy = true;
      const outcome = await runCommand(sandbox, text);
      busy = false;
      say(outcome.output);
      if (outcome.quit) break;
      if (!outcome.ok && !io.interactive) {
        failed = true;
        say('Stopping: that command failed.');
        break;
      }
      if (io.interactive) rl.prompt();
    }
  } finally {
    io.signal?.removeEventListener('abort', stop);
    rl.close();
    // Ctrl-C and Ctrl-D leave the cursor after the prompt.
    if (io.interactive) io.output.write('\n');
    say('Shutting down…');
    await sandbox.close();
    say('Stopped; servers closed, temporary directories removed.');
  }
  if (failed) return 1;
  // A script cut short by a signal did not run to its end: say so to CI (128 + SIGINT, as a shell would).
  return io.signal?.aborted && !io.interactive ? 130 : 0;
}

/** Tab completion: command names, users after `as`, and the phrases the replay has answers for. */
function completer(line: string): [string[], string] {
  const users = Object.keys(SANDBOX_USERS);
  const phrases = [...SCRIPTED_PHRASES, 'ipo status', 'cancel session'];
  const candidates = [
    ...COMMAND_NAMES.map((name) => (name === 'as' ? 'as ' : name)),
    ...users.map((user) => `as ${user} `),
    ...users.flatMap((user) => phrases.map((phrase) => `as ${user} ${phrase}`)),
  ];
  const hits = candidates.filter((candidate) => candidate.startsWith(line) && candidate !== line);
  // Offer the next word only, so the list stays short while a person is still choosing the user.
  const next = [...new Set(hits.map((hit) => nextWord(line, hit)))];
  return [next, line];
}

function nextWord(line: string, hit: string): string {
  const rest = hit.slice(line.length);
  const end = rest.search(/\S\s/);
  return end < 0 ? hit : hit.slice(0, line.length + end + 2);
}
