import type { Command } from '../commands/command.ts';
import { commandPhrase } from './command-phrase.ts';
import type { Decision } from './decision.ts';
import type { SessionView } from './session-state.ts';

/** A refusal decision. */
export function refuse(reason: string): Decision {
  return { kind: 'refuse', reason };
}

/** The abbreviated git object name (`1a2b3c4`): the first 7 hex digits by default, as git shows a commit. */
export function shortSha(sha: string, length = 7): string {
  return sha.slice(0, length);
}

/** Backtick-quotes phrases and joins them as prose: "`a`, `b` or `c`". */
export function listPhrases(phrases: readonly string[]): string {
  const quoted = phrases.map((phrase) => `\`${phrase}\``);
  const last = quoted.pop();
  if (last === undefined) return '';
  return quoted.length === 0 ? last : `${quoted.join(', ')} or ${last}`;
}

/** The start phrase for `taskId`; `X.Y` stands in when the task is not known. */
export function startPhrase(taskId = 'X.Y'): string {
  return commandPhrase({ name: 'start', taskId });
}

/** Logins are case-insensitive on GitHub, so `Alice` approving `alice`'s session is self-approval. */
export function sameLogin(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Refusal for anything but start and status when there is no session. */
export function noSessionRefusal(command: Command): Decision {
  return refuse(
    `there is no session yet, so \`${commandPhrase(command)}\` has nothing to act on; start one with \`${startPhrase()}\``,
  );
}

/** Refusal for proceed/retry/rollback/cancel on a complete or cancelled session: terminal states stay terminal. */
export function terminalRefusal(session: SessionView, command: Command): Decision {
  const state = session.status.kind === 'complete' ? 'is complete' : 'was cancelled';
  return refuse(
    `session ${session.id} ${state}, so \`${commandPhrase(command)}\` has nothing to act on; ` +
      `start a new session with \`${startPhrase(session.taskId)}\``,
  );
}
