import { isGatedPhase, isPhase } from '../phases.ts';
import { isTaskId } from '../task-id.ts';
import type { Command } from './command.ts';

const START = /^i'm going to start (?:implementation of )?phase (\S+)$/;
const PROCEED = /^proceed to (\S+)$/;
const RETRY = /^retry (\S+)$/;
const ROLLBACK = /^rollback (\S+)$/;

/**
 * Folds a line for comparison with the phrases: trimmed, inner whitespace runs collapsed to one space, one trailing
 * `.` or `!` dropped, ASCII letters lower-cased, curly apostrophe made straight.
 */
export function normalizeLine(line: string): string {
  const collapsed = line.trim().replace(/\s+/g, ' ');
  const bare = collapsed.endsWith('.') || collapsed.endsWith('!') ? collapsed.slice(0, -1) : collapsed;
  return foldCase(bare).replaceAll('\u2019', "'");
}

/**
 * Lower-cases ASCII letters only. Full Unicode folding would let look-alikes through (the Kelvin sign `K`
 * lower-cases to `k`), and every phrase is ASCII.
 */
export function foldCase(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/** The command a whole line states exactly (after `normalizeLine`), or null. Feedback is added by the caller. */
export function matchCommand(line: string): Command | null {
  const text = normalizeLine(line);
  if (text === 'cancel session') return { name: 'cancel' };
  if (text === 'ipo status') return { name: 'status' };
  const taskId = START.exec(text)?.[1];
  if (taskId !== undefined) return isTaskId(taskId) ? { name: 'start', taskId } : null;
  const proceed = PROCEED.exec(text)?.[1];
  if (proceed !== undefined) return isGatedPhase(proceed) ? { name: 'proceed', phase: proceed } : null;
  const retry = RETRY.exec(text)?.[1];
  if (retry !== undefined) return isPhase(retry) ? { name: 'retry', phase: retry } : null;
  const rollback = ROLLBACK.exec(text)?.[1];
  if (rollback !== undefined) return isPhase(rollback) ? { name: 'rollback', phase: rollback } : null;
  return null;
}
