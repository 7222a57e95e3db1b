import type { GatedPhase, Phase } from '../phases.ts';

/** A command a person can give, in a comment or through the CLI. */
export type Command =
  | { name: 'start'; taskId: string }
  | { name: 'proceed'; phase: GatedPhase; feedback?: string }
  | { name: 'retry'; phase: Phase; feedback?: string }
  | { name: 'rollback'; phase: Phase }
  | { name: 'cancel' }
  | { name: 'status' };

export type CommandName = Command['name'];

/** Result of reading a comment: a command, a reply a person should see, or nothing for us. */
export type ParsedComment =
  | { kind: 'command'; command: Command }
  | { kind: 'reply'; text: string }
  | { kind: 'ignore' };
