import type { Command } from '../commands/command.ts';
import { GATED_PHASES, PHASES } from '../phases.ts';
import { commandPhrase } from './command-phrase.ts';
import { decide } from './decide.ts';
import type { DecisionContext } from './decision.ts';
import type { SessionView } from './session-state.ts';

// Probe as an authorized person with no extra restriction: the list says what the state allows, not who may say it.
const PROBE: DecisionContext = { actor: { login: '', authorized: true }, requireDistinctApprover: false };

/**
 * The phrases `decide` would accept now from an authorized person, for status replies. Derived from `decide` itself
 * so the two cannot disagree. The start phrase names `taskId` (default: the session's task; `X.Y` if unknown).
 */
export function availableCommands(session: SessionView | undefined, taskId = session?.taskId): string[] {
  const commands: Command[] = [
    // Any valid id probes start when the task is unknown; the phrase then shows the `X.Y` placeholder.
    { name: 'start', taskId: taskId ?? '0.0' },
    ...GATED_PHASES.map((phase): Command => ({ name: 'proceed', phase })),
    ...PHASES.map((phase): Command => ({ name: 'retry', phase })),
    ...PHASES.map((phase): Command => ({ name: 'rollback', phase })),
    { name: 'cancel' },
    { name: 'status' },
  ];
  return commands
    .filter((command) => decide(session, command, PROBE).kind === 'accept')
    .map((command) =>
      command.name === 'start' && taskId === undefined
        ? commandPhrase({ ...command, taskId: 'X.Y' })
        : commandPhrase(command),
    );
}
