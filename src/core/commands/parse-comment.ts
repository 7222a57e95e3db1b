import { commandPhrase } from '../session/command-phrase.ts';
import type { Command, ParsedComment } from './command.ts';
import { matchCommand } from './match-command.ts';
import { findNearMiss, type NearMiss } from './near-miss.ts';
import { type ProseLine, proseLines } from './prose-lines.ts';
import { describeValidPhrases } from './valid-phrases.ts';

const IGNORE: ParsedComment = { kind: 'ignore' };

/**
 * Reads a comment: the one command stated on a prose line of its own, a reply explaining why a command-like
 * comment did nothing (two commands, a near miss, a phrase swallowed by a quote), or ignore. Pure; never throws.
 */
export function parseComment(body: string): ParsedComment {
  if (typeof body !== 'string' || body.trim() === '') return IGNORE;
  const lines = proseLines(body);
  const found: { command: Command; index: number }[] = [];
  let nearMiss: NearMiss | null = null;
  let swallowed: Command | null = null;
  for (const [index, line] of lines.entries()) {
    if (line.lazyQuote) {
      swallowed ??= matchCommand(line.text);
      continue;
    }
    if (line.hidden || line.inlineCode || line.text.trim() === '') continue;
    const command = matchCommand(line.text);
    if (command === null) nearMiss ??= findNearMiss(line.text);
    else if (!found.some((seen) => sameCommand(seen.command, command))) found.push({ command, index });
  }
  const [first, ...others] = found;
  if (first !== undefined && others.length > 0) return { kind: 'reply', text: manyCommandsReply(found) };
  if (first !== undefined)
    return { kind: 'command', command: withFeedback(first.command, lines, first.index) };
  if (swallowed !== null) return { kind: 'reply', text: swallowedReply(swallowed) };
  if (nearMiss !== null) return { kind: 'reply', text: nearMissReply(nearMiss) };
  return IGNORE;
}

function sameCommand(a: Command, b: Command): boolean {
  return commandPhrase(a) === commandPhrase(b);
}

function withFeedback(command: Command, lines: readonly ProseLine[], index: number): Command {
  // Commit runs no model: lines under `proceed to commit` (a "thanks") would reach no one.
  const carries = command.name === 'retry' || (command.name === 'proceed' && command.phase !== 'commit');
  if (!carries) return command;
  const feedback = feedbackAfter(lines.slice(index + 1));
  return feedback === undefined ? command : { ...command, feedback };
}

/**
 * The prose after a retry or proceed line (what the person wants the phase to know): hidden lines and repeats of a command dropped, blank runs squeezed to one, the
 * block trimmed and dedented so list nesting survives.
 */
function feedbackAfter(lines: readonly ProseLine[]): string | undefined {
  const kept: string[] = [];
  for (const line of lines) {
    if (line.hidden || (!line.inlineCode && matchCommand(line.text) !== null)) continue;
    const text = line.text.trimEnd();
    if (text === '' && (kept.length === 0 || kept.at(-1) === '')) continue;
    kept.push(text);
  }
  while (kept.at(-1) === '') kept.pop();
  if (kept.length === 0) return undefined;
  // A reduce, not Math.min(...spread): a long comment must not overflow the argument limit.
  const indent = kept
    .filter((text) => text !== '')
    .reduce(
      (least, text) => Math.min(least, text.length - text.trimStart().length),
      Number.POSITIVE_INFINITY,
    );
  return kept.map((text) => text.slice(indent)).join('\n');
}

// Echoed text goes into a code span, where mentions and markdown stay inert; a backtick would end the span early.
const echo = (text: string): string => `\`${text.replaceAll('`', "'")}\``;

function manyCommandsReply(found: readonly { command: Command }[]): string {
  const phrases = found.map(({ command }) => echo(commandPhrase(command)));
  return [
    `This comment holds ${found.length} different commands (${phrases.join(', ')}). I take one command per comment,` +
      ' so I did nothing: please post the one you mean in a comment of its own.',
    '',
    describeValidPhrases(),
  ].join('\n');
}

function nearMissReply(miss: NearMiss): string {
  const why = miss.reason === undefined ? '' : ` (${miss.reason})`;
  const guess = miss.suggestion === undefined ? '' : ` Did you mean ${echo(miss.suggestion)}?`;
  return [
    `${echo(miss.line)} looks like a command but is not one${why}, so I did nothing.${guess}`,
    '',
    describeValidPhrases(),
  ].join('\n');
}

function swallowedReply(command: Command): string {
  return (
    `${echo(commandPhrase(command))} did not count: it follows a quoted line directly, so it is rendered inside the` +
    ' quote. Leave a blank line after the quote and post the command again.'
  );
}
