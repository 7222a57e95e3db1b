import type { Command } from '../core/commands/command.ts';
import { matchCommand } from '../core/commands/match-command.ts';
import { availableCommands } from '../core/session/available-commands.ts';
import type { SessionView } from '../core/session/session-state.ts';

/** A command the session accepts now: the phrase a comment would say, and the same thing as a CLI call. */
export interface NextCommand {
  phrase: string;
  cli: string;
}

/**
 * What a person can type next, in `availableCommands` order (so it agrees with the state machine). `ipo status` is
 * left out: the person is reading its output. The view comes from the ledger or, in the app, from the marker.
 */
export function nextCommands(view: SessionView): NextCommand[] {
  return availableCommands(view).flatMap((phrase) => {
    const command = matchCommand(phrase);
    if (command?.name === 'status') return [];
    return [{ phrase, cli: command ? cliCommand(command) : quotedPhrase(phrase) }];
  });
}

/** The `ipo` subcommand form of `command`: `ipo proceed verification`, `ipo retry implementation`, … */
export function cliCommand(command: Command): string {
  switch (command.name) {
    case 'start':
      return `ipo start ${command.taskId}`;
    case 'proceed':
    case 'retry':
    case 'rollback':
      return `ipo ${command.name} ${command.phase}`;
    case 'cancel':
      return 'ipo cancel';
    case 'status':
      return 'ipo status';
    default: {
      const never: never = command;
      return never;
    }
  }
}

/** The phrase given to `ipo` as one argument: `ipo "proceed to verification"`. */
export function quotedPhrase(phrase: string): string {
  return `ipo "${phrase}"`;
}
