import { GATED_PHASES, isGatedPhase, isPhase, PHASES } from '../phases.ts';
import { commandPhrase } from '../session/command-phrase.ts';
import { isTaskId } from '../task-id.ts';
import type { Command } from './command.ts';
import { editDistance } from './edit-distance.ts';
import { foldCase, matchCommand } from './match-command.ts';

/** A line that looks like an attempt at a command but is not a valid one. */
export interface NearMiss {
  /** The line as written: trimmed, whitespace runs collapsed. */
  readonly line: string;
  /** The phrase it most likely meant, when one is close enough to say so. */
  readonly suggestion?: string;
  /** Why it did not count, when there is more to say than "not a valid phrase". */
  readonly reason?: string;
}

// Only short, phrase-shaped lines are judged: prose that merely mentions "proceed to" must stay silent.
const MAX_LINE = 80;
const MAX_WORDS = 10;
const FILLER = new Set(['the', 'phase', 'to']);
const TASK_ISH = /^v?\d+(?:[.,]\d*)*$/;
const START_ISH = /^(?:(?:i'?m|i am) going to |let'?s |please )?start\b/;
const ALONE =
  'the phrase must stand alone on its line, with no formatting and at most one trailing `.` or `!`';

/** Judges one prose line (already known not to be a valid command): a near miss, or null for ordinary text. */
export function findNearMiss(line: string): NearMiss | null {
  const written = line.trim().replace(/\s+/g, ' ');
  if (written === '' || written.length > MAX_LINE) return null;
  const loose = loosen(written);
  const words = loose === '' ? [] : loose.split(' ');
  if (words.length === 0 || words.length > MAX_WORDS) return null;
  const exact = matchCommand(loose);
  if (exact !== null) return { line: written, suggestion: commandPhrase(exact), reason: ALONE };
  const miss = byShape(words) ?? bySpelling(loose, words);
  return miss === null ? null : { line: written, ...miss };
}

/** Lower-cases and strips what people add around a phrase: list/heading markers, emphasis, quotes, punctuation. */
function loosen(written: string): string {
  return foldCase(written)
    .replace(/[\u2018\u2019\u02bc\u00b4`]/g, "'")
    .replace(/^(?:#{1,6}|[-*+]|\d{1,3}[.)])\s+/, '')
    .replace(/^[\s*_~"\u201c\u201d']+|[\s*_~"\u201c\u201d'.!?,;:]+$/g, '')
    .replace(/\s+/g, ' ');
}

type Advice = Omit<NearMiss, 'line'>;

/** Lines that start like a command ("proceed to …", "retry …", "I'm going to start …") but end wrong. */
function byShape(words: readonly string[]): Advice | null {
  const [first = '', second] = words;
  if (first.length >= 5 && editDistance(first, 'proceed') <= 2) {
    if (words.length === 1) return { reason: 'say which phase to proceed to' };
    if (second !== 'to' || words.length > 5) return null;
    const target = words[2];
    if (target !== undefined && isPhase(target) && !isGatedPhase(target)) {
      return { reason: `${target} has no gate: it runs when a session starts` };
    }
    return suggestPhase(words.slice(2), GATED_PHASES, (phase) => ({ name: 'proceed', phase }));
  }
  const rollback = first === 'roll' && second === 'back' ? words.slice(2) : null;
  if (first === 'retry' || first === 'rollback' || rollback !== null) {
    const rest = rollback ?? words.slice(1);
    return phaseVerbAdvice(first === 'retry' ? 'retry' : 'rollback', rest);
  }
  if (first === 'cancel' && words.length <= 3) return { suggestion: 'cancel session' };
  if (first === 'ipo' && words.length <= 3) {
    return second !== undefined && editDistance(second, 'status') <= 2 ? { suggestion: 'ipo status' } : {};
  }
  if (START_ISH.test(words.join(' '))) return startAdvice(words);
  return null;
}

function phaseVerbAdvice(name: 'retry' | 'rollback', rest: readonly string[]): Advice | null {
  if (rest.length === 0) return { reason: `say which phase to ${name === 'retry' ? 'retry' : 'roll back'}` };
  // `retry verification: add a test` names a real phase, so it is an attempt however many words follow.
  const head = rest[0]?.replace(/[^a-z]+$/, '') ?? '';
  if (isPhase(head) && rest.length > 1) {
    const suggestion = commandPhrase({ name, phase: head });
    return name === 'retry'
      ? { suggestion, reason: 'feedback goes on the lines after the command' }
      : { suggestion };
  }
  if (rest.length > 2) return null;
  return suggestPhase(rest, PHASES, (phase) => ({ name, phase }));
}

function startAdvice(words: readonly string[]): Advice | null {
  const taskIsh = words.find((word) => TASK_ISH.test(word));
  if (taskIsh === undefined && !words.includes('phase')) return null;
  if (taskIsh !== undefined && isTaskId(taskIsh)) {
    return { suggestion: commandPhrase({ name: 'start', taskId: taskIsh }) };
  }
  return { reason: 'X.Y must be a task id such as `2.4` or `1.10.3`' };
}

function suggestPhase<P extends string>(
  rest: readonly string[],
  phases: readonly P[],
  toCommand: (phase: P) => Command,
): Advice {
  const word = rest.find((candidate) => !FILLER.has(candidate));
  const phase = word === undefined ? undefined : nearestPhase(word, phases);
  return phase === undefined ? {} : { suggestion: commandPhrase(toCommand(phase)) };
}

/** The phase a word most likely means: a shared 4–5 letter stem (`verify`, `impl`) or a small typo. */
function nearestPhase<P extends string>(word: string, phases: readonly P[]): P | undefined {
  const stem = word.slice(0, 5);
  const byStem = phases.filter((phase) => stem.length >= 4 && phase.startsWith(stem));
  if (byStem.length === 1) return byStem[0];
  let best: P | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const phase of phases) {
    const distance = editDistance(word, phase);
    if (distance <= Math.max(2, Math.floor(phase.length / 4)) && distance < bestDistance) {
      best = phase;
      bestDistance = distance;
    }
  }
  return best;
}

/** A line a few typos away from a whole phrase (`procede to commit`, `cancel sesion`). */
function bySpelling(loose: string, words: readonly string[]): Advice | null {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const { phrase, folded } of [...startPhrases(words.at(-1)), ...FIXED_PHRASES]) {
    const allowed = Math.min(4, Math.max(1, Math.floor(folded.length / 7)));
    if (Math.abs(folded.length - loose.length) > allowed) continue;
    const distance = editDistance(loose, folded);
    if (distance <= allowed && distance < bestDistance) {
      best = phrase;
      bestDistance = distance;
    }
  }
  return best === undefined ? null : { suggestion: best };
}

interface Spelled {
  readonly phrase: string;
  readonly folded: string;
}

const spelled = (phrase: string): Spelled => ({ phrase, folded: foldCase(phrase) });

// Built once: every comment line that is not a command is compared with these.
const FIXED_PHRASES: readonly Spelled[] = [
  ...GATED_PHASES.map((phase): Command => ({ name: 'proceed', phase })),
  ...PHASES.map((phase): Command => ({ name: 'retry', phase })),
  ...PHASES.map((phase): Command => ({ name: 'rollback', phase })),
  { name: 'cancel' } as const,
  { name: 'status' } as const,
].map((command) => spelled(commandPhrase(command)));

/** The start phrases, only when the line ends in a task id to fill them with. */
function startPhrases(last: string | undefined): Spelled[] {
  if (last === undefined || !isTaskId(last)) return [];
  return [`I'm going to start phase ${last}`, `I'm going to start implementation of phase ${last}`].map(
    spelled,
  );
}
