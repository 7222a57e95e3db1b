import { CommanderError, Option, Command as Program } from 'commander';
import type { Command } from '../core/commands/command.ts';
import { parseComment } from '../core/commands/parse-comment.ts';
import { GATED_PHASES, type GatedPhase, isPhase, PHASES, type Phase } from '../core/phases.ts';
import { isTaskId } from '../core/task-id.ts';
import { worktreeRoot } from '../local/local-paths.ts';
import { UserError } from '../local/user-error.ts';
import { StateError } from '../state/state-error.ts';
import { suggestKey } from '../state/suggest-key.ts';
import type { RunPhaseOptions } from './commands/run-phase.ts';
import { sessionCommand, showLog, showStatus, start } from './commands/session-commands.ts';
import { cacheHome, composeCli, processInterrupts } from './compose.ts';

/** Runs the `ipo` CLI with `argv` (without node and script) and sets the exit code. */
export async function run(argv: string[]): Promise<void> {
  const { io, env } = composeCli();
  try {
    process.exitCode = await dispatch(rewritePhrase(argv), io, env);
  } catch (error) {
    process.exitCode = reportError(error, io.err);
  }
}

async function dispatch(
  argv: string[],
  io: ReturnType<typeof composeCli>['io'],
  env: NodeJS.ProcessEnv,
): Promise<number> {
  let exit = 0;
  const program = new Program('ipo')
    .description(
      'Run a task through alignment → implementation → verification → commit, each phase isolated, with approvals between.',
    )
    .option('-C, --cwd <dir>', 'repository to work in', process.cwd())
    .option('--session <id>', 'session to act on (default: the one active session)')
    .option('--as <login>', 'who is giving the command (default: $IPO_ACTOR or your user name)')
    .exitOverride()
    .configureOutput({
      writeOut: io.out,
      writeErr: io.err,
      // Commander's usage errors read like ours: `ipo: …` on one line (it puts "Did you mean" on a second one).
      outputError: (text, write) =>
        write(
          `ipo: ${text
            .replace(/^error: /, '')
            .trim()
            .replace(/\s*\n\s*/g, ' ')}\n`,
        ),
    });
  const ctx = () => {
    const o = program.opts<{ cwd: string; session?: string; as?: string }>();
    return {
      io,
      env,
      cwd: o.cwd,
      ...(o.session ? { session: o.session } : {}),
      ...(o.as ? { actor: o.as } : {}),
    };
  };
  const set = (code: number) => {
    exit = code;
  };

  program
    .command('start')
    .description(
      'start a session for task X.Y (or the phrase "I\'m going to start implementation of phase X.Y")',
    )
    .argument('<task...>', 'task id, or the start phrase')
    .option('--force', 'start a task the roadmap marks done')
    .action(async (words: string[], o: { force?: boolean }) =>
      set(await start(ctx(), taskFrom(words), { force: o.force === true })),
    );
  program
    .command('proceed')
    .description('open the gate to a phase: ipo proceed verification (or ipo "proceed to verification")')
    .argument('<phase>', GATED_PHASES.join(', '), phaseArg('proceed', GATED_PHASES))
    .option('--feedback <text>', 'what the phase should know (implementation and verification)')
    .action(async (phase: GatedPhase, o: { feedback?: string }) => {
      if (o.feedback && phase === 'commit') {
        throw new UserError('commit runs no model, so it takes no --feedback: drop it', 2);
      }
      const command: Command = { name: 'proceed', phase, ...(o.feedback ? { feedback: o.feedback } : {}) };
      set(await sessionCommand(ctx(), command));
    });
  program
    .command('retry')
    .description('run a failed or blocked phase again, optionally with feedback for the model')
    .argument('<phase>', PHASES.join(', '), phaseArg('retry', PHASES))
    .option('--feedback <text>', 'what to do differently')
    .action(async (phase: Phase, o: { feedback?: string }) =>
      set(
        await sessionCommand(ctx(), {
          name: 'retry',
          phase,
          ...(o.feedback ? { feedback: o.feedback } : {}),
        }),
      ),
    );
  program
    .command('rollback')
    .description("reset the session branch to a phase's base and reopen the gate before it")
    .argument('<phase>', PHASES.join(', '), phaseArg('rollback', PHASES))
    .action(async (phase: Phase) => set(await sessionCommand(ctx(), { name: 'rollback', phase })));
  program
    .command('cancel')
    .description('cancel the session')
    .action(async () => set(await sessionCommand(ctx(), { name: 'cancel' })));
  program
    .command('status')
    .description('show the session: state, phases, tokens, cost, and what to type next')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => set(await showStatus(ctx(), Boolean(o.json))));
  program
    .command('log')
    .description('show the audit trail of the session')
    .action(async () => set(await showLog(ctx())));
  program
    .command('doctor')
    .description(
      'list what ipo left behind here (worktrees, temp dirs, branches of cancelled or lost sessions) and remove it after asking',
    )
    .option('--yes', 'remove without asking (for scripts)')
    .option('--complete-branches', 'also remove the branches of complete sessions')
    .action(async (o: { yes?: boolean; completeBranches?: boolean }) => {
      const { runDoctor } = await import('./commands/doctor.ts');
      set(
        await runDoctor(io, {
          cwd: ctx().cwd,
          worktreeRoot: worktreeRoot(cacheHome(env)),
          yes: o.yes === true,
          completeBranches: o.completeBranches === true,
        }),
      );
    });
  program
    .command('demo')
    .description('run a whole session offline on a bundled example repository (replayed model responses)')
    .option(
      '--dir <dir>',
      'an empty directory for the example repository (default: a new temporary one, kept)',
    )
    .action(async (o: { dir?: string }) => {
      const { runDemo } = await import('./commands/demo.ts');
      set(await runDemo(io, env, o.dir ? { dir: o.dir } : {}));
    });
  program
    .command('bench')
    .description('benchmarks: `ipo bench isolation`')
    .argument('<name>', 'isolation')
    .option('--json', 'machine-readable output')
    .option('--repo <dir>', 'a repository to run on instead of the bundled scenarios (copied, never changed)')
    .option(
      '--script <file>',
      'the replay script of a whole session in --repo (format: examples/demo-replay.yaml)',
    )
    .option('--task <id>', 'the roadmap task the --script session works on')
    .option('--sizes <list>', 'bundled scenario sizes to run, comma-separated (default S,M,L)')
    .option('--out <dir>', 'write the SVG plot and the JSON report here')
    .action(
      async (
        name: string,
        o: { json?: boolean; repo?: string; script?: string; task?: string; sizes?: string; out?: string },
      ) => {
        if (name !== 'isolation')
          throw new UserError(`unknown benchmark "${name}": the benchmark is \`isolation\``, 2);
        const { runIsolationBench } = await import('./commands/bench-isolation.ts');
        set(await runIsolationBench(io, env, { ...o, json: Boolean(o.json) }));
      },
    );
  program
    .command('replay')
    .description('a local Messages API answering from a replay script: `ipo replay serve SCRIPT`')
    .command('serve')
    .description(
      'serve a replay script (docs/replay-scripts.md) at http://127.0.0.1:PORT until Ctrl-C, then list the turns not used',
    )
    .argument('<script>', 'a .yaml, .yml or .json replay script')
    .option('--port <n>', 'the port (default: a free one)')
    .option('--check', 'only check the script and print what is wrong, with line and field')
    .action(async (script: string, o: { port?: string; check?: boolean }) => {
      const { runReplayServe } = await import('./commands/replay-serve.ts');
      set(
        await runReplayServe(io, processInterrupts(), {
          script,
          cwd: ctx().cwd,
          check: o.check === true,
          ...(o.port !== undefined ? { port: o.port } : {}),
        }),
      );
    });
  program
    .command('state-key')
    .description(
      "print a repository's state key (the secret IPO_STATE_KEY of its phase workflow), derived from the app's " +
        'secret in $IPO_STATE_SECRET or $WEBHOOK_SECRET',
    )
    .argument('<owner/name>', 'the repository')
    .action(async (repo: string) => {
      const { printStateKey } = await import('./commands/state-key.ts');
      set(printStateKey(io, env, repo));
    });
  program
    .command('run-phase', { hidden: true })
    .description('run one phase in this process (spawned by ipo; also what the Action runs)')
    .argument('<phase>', PHASES.join(', '), phaseArg('run-phase', PHASES))
    .requiredOption('--state-dir <dir>')
    .requiredOption('--out-dir <dir>')
    .requiredOption('--workspace <dir>')
    .option('--end-with-parent', 'stop when stdin closes (the local runner that spawned it is gone)')
    .action(async (phase: Phase, o: RunPhaseOptions) => {
      const { runPhaseCommand } = await import('./commands/run-phase.ts');
      set(await runPhaseCommand(phase, o, env, io.out));
    });
  program.addOption(new Option('--no-color', 'plain output').hideHelp());

  await program.parseAsync(argv, { from: 'user' });
  return exit;
}

/** `ipo "proceed to implementation"` and other whole phrases are accepted as the command they say. */
function rewritePhrase(argv: string[]): string[] {
  const first = argv[0];
  if (!first?.includes(' ')) return argv;
  const command = commandFor(first);
  switch (command.name) {
    case 'start':
      return ['start', command.taskId, ...argv.slice(1)];
    case 'proceed':
      return ['proceed', command.phase, ...argv.slice(1)];
    case 'retry':
      return ['retry', command.phase, ...argv.slice(1)];
    case 'rollback':
      return ['rollback', command.phase, ...argv.slice(1)];
    case 'cancel':
      return ['cancel', ...argv.slice(1)];
    case 'status':
      return ['status', ...argv.slice(1)];
    default: {
      const never: never = command;
      return never;
    }
  }
}

/** The command a phrase says, through the same parser as GitHub comments; anything else is a usage error. */
function commandFor(phrase: string): Command {
  const parsed = parseComment(phrase);
  if (parsed.kind === 'command') return parsed.command;
  if (parsed.kind === 'reply') throw new UserError(parsed.text.replace(/\n+/g, ' '), 2);
  throw new UserError(`"${phrase}" is not an ipo command; see \`ipo --help\``, 2);
}

function taskFrom(words: string[]): string {
  const joined = words.join(' ');
  if (isTaskId(joined)) return joined;
  const command = commandFor(joined);
  if (command.name !== 'start')
    throw new UserError(`"${joined}" is not a task id (X.Y) or a start phrase`, 2);
  return command.taskId;
}

/** Parses a phase argument; a typo is a usage error that names the phase it most likely meant. */
function phaseArg<P extends Phase>(command: string, allowed: readonly P[]) {
  return (value: string): P => {
    const phase = allowed.find((p) => p === value);
    if (phase) return phase;
    if (isPhase(value)) {
      throw new UserError(
        `${value} has no gate: it runs when a session starts; \`ipo ${command}\` takes ${allowed.join(', ')}`,
        2,
      );
    }
    // A shared stem (`impl`, `verify`) or a small typo.
    const byStem = allowed.filter((p) => value.length >= 4 && p.startsWith(value.slice(0, 5)));
    const guess = byStem.length === 1 ? byStem[0] : suggestKey(value, allowed);
    throw new UserError(
      `unknown phase "${value}"${guess ? `: did you mean \`ipo ${command} ${guess}\`?` : ''} (phases: ${allowed.join(', ')})`,
      2,
    );
  };
}

function reportError(error: unknown, err: (text: string) => void): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  if (error instanceof UserError) {
    err(`ipo: ${oneLine(error.message)}\n${error.hints.map((hint) => `  ${hint}\n`).join('')}`);
    return error.exitCode;
  }
  if (error instanceof StateError) {
    err(`ipo: ${oneLine(error.message, error.file)}\n`);
    return 1;
  }
  err(`ipo: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 70;
}

/** A message on one line (scripts and people read the first line of stderr); repeats of `file: ` are dropped. */
function oneLine(message: string, file?: string): string {
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const rest = lines
    .slice(1)
    .map((line) => (file && line.startsWith(`${file}: `) ? line.slice(file.length + 2) : line));
  return [lines[0] ?? '', ...rest].join('; ');
}
