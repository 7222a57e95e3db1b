import type { Command } from '../commands/command.ts';
import { proceedPhrase } from '../phases.ts';

/** The phrase a person writes for `command` (ARCHITECTURE §3); refusals and status replies quote it. */
export function commandPhrase(command: Command): string {
  switch (command.name) {
    case 'start':
      return `I'm going to start phase ${command.taskId}`;
    case 'proceed':
      return proceedPhrase(command.phase);
    case 'retry':
      return `retry ${command.phase}`;
    case 'rollback':
      return `rollback ${command.phase}`;
    case 'cancel':
      return 'cancel session';
    case 'status':
      return 'ipo status';
    default: {
      const never: never = command;
      return never;
    }
  }
}
