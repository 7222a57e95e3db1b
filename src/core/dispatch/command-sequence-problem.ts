import { commandPhrase } from '../session/command-phrase.ts';
import { parseSessionId } from '../session/session-id.ts';
import type { VerifiedCommand } from './verified-command.ts';

const DAY_MS = 24 * 3600_000;

/**
 * Why the verified commands cannot be the ones that led to this run, or null: each comment acts once, they are
 * replayed in the order they were made, and none was made before the gate opened (`gateOpenedAt`, the ledger's
 * last finished run): an old approval must not open a later gate.
 */
export function commandSequenceProblem(
  commands: readonly VerifiedCommand[],
  gateOpenedAt: string | undefined,
): string | null {
  if (commands.length === 0) return 'no command comment was given: dispatch with input comment-id';
  const seen = new Set<number>();
  for (const [i, c] of commands.entries()) {
    if (seen.has(c.commentId)) return `comment ${c.commentId} is listed twice: a comment acts at most once`;
    seen.add(c.commentId);
    const before = commands[i - 1];
    if (before && Date.parse(c.at) < Date.parse(before.at)) {
      return `comment ${c.commentId} (${c.at}) is older than comment ${before.commentId} (${before.at}) before it`;
    }
    // GitHub's created_at has whole seconds while the ledger keeps milliseconds: compare whole seconds.
    if (gateOpenedAt !== undefined && Date.parse(c.at) < Math.floor(Date.parse(gateOpenedAt) / 1000) * 1000) {
      return (
        `comment ${c.commentId} by @${c.login} (\`${commandPhrase(c.command)}\`) was made at ${c.at}, before the ` +
        `gate opened at ${gateOpenedAt}: say the command again now that the phase before has finished`
      );
    }
  }
  return null;
}

/**
 * Why `commands` cannot have started `session`, or null. A session's first alignment has no earlier state, so its
 * one comment must be the start command of the session's task, made on the session's UTC day (or the day before,
 * when the app handled it after midnight).
 */
export function startCommandProblem(commands: readonly VerifiedCommand[], session: string): string | null {
  const parsed = parseSessionId(session);
  if (!parsed) return `"${session}" is not a session id`;
  const [only, ...more] = commands;
  if (!only || more.length > 0) {
    return `a session's first alignment comes from exactly one start comment, got ${commands.length}`;
  }
  const expected = `I'm going to start phase ${parsed.taskId}`;
  if (only.command.name !== 'start' || only.command.taskId !== parsed.taskId) {
    return (
      `comment ${only.commentId} says \`${commandPhrase(only.command)}\`, not \`${expected}\`: ` +
      `session ${session} starts with that command`
    );
  }
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10).replaceAll('-', '');
  const at = Date.parse(only.at);
  if (parsed.date !== day(at) && parsed.date !== day(at + DAY_MS)) {
    return `comment ${only.commentId} was made on ${only.at.slice(0, 10)}, but session ${session} started on ${parsed.date}`;
  }
  return null;
}
