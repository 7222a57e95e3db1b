import { isTaskId } from '../task-id.ts';

/** A calendar day given as numbers (`m` is 1–12), read as a UTC day. */
export interface UtcDay {
  y: number;
  m: number;
  d: number;
}

/** The parts of a session id `phase-<task>-<YYYYMMDD>[-<n>]`; `sequence` is 1 for the day's first session. */
export interface ParsedSessionId {
  taskId: string;
  date: string;
  sequence: number;
}

const PREFIX = 'phase-';

/** `phase-<task>-<YYYYMMDD>` for the first session of that UTC day, `…-<n>` for the n-th (n ≥ 2). */
export function formatSessionId(taskId: string, date: Date | UtcDay, n = 1): string {
  assertTaskId(taskId);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new Error(`invalid session sequence ${n}: expected a whole number ≥ 1`);
  }
  const base = `${PREFIX}${taskId}-${formatDay(date)}`;
  return n === 1 ? base : `${base}-${n}`;
}

/** The parts of a well-formed session id, or null for anything else (bad task, impossible date, `-1`, `-01`, …). */
export function parseSessionId(id: string): ParsedSessionId | null {
  if (!id.startsWith(PREFIX)) return null;
  // Task ids contain no `-`, so the rest splits unambiguously into task, date and optional sequence.
  const [taskId, date, suffix, ...extra] = id.slice(PREFIX.length).split('-');
  if (taskId === undefined || date === undefined || extra.length > 0) return null;
  if (!isTaskId(taskId) || !isDayString(date)) return null;
  if (suffix === undefined) return { taskId, date, sequence: 1 };
  // Only the canonical spelling parses (no `-1`, `-0`, `-01`), so one session has exactly one id string.
  if (!/^[1-9]\d*$/.test(suffix)) return null;
  const sequence = Number(suffix);
  if (sequence < 2 || !Number.isSafeInteger(sequence)) return null;
  return { taskId, date, sequence };
}

/**
 * The id for a new session of `taskId` on the UTC day of `date`, given every id already used (other tasks, other
 * days and malformed strings are ignored). It is one past the day's highest sequence, never a gap below it: a gap
 * is an id that was used and deleted, and its leftovers (claim refs, workflow artifacts named after it) may remain.
 */
export function nextSessionId(taskId: string, date: Date | UtcDay, existingIds: Iterable<string>): string {
  assertTaskId(taskId);
  const day = formatDay(date);
  let highest = 0;
  for (const id of existingIds) {
    const parsed = parseSessionId(id);
    if (parsed !== null && parsed.taskId === taskId && parsed.date === day) {
      highest = Math.max(highest, parsed.sequence);
    }
  }
  return formatSessionId(taskId, date, highest + 1);
}

function assertTaskId(taskId: string): void {
  if (!isTaskId(taskId)) {
    throw new Error(`invalid task id ${JSON.stringify(taskId)}: expected X.Y or X.Y.Z in digits, e.g. 2.4`);
  }
}

/** `YYYYMMDD` of the UTC day; throws for an invalid Date or an impossible calendar day. */
function formatDay(date: Date | UtcDay): string {
  const day =
    date instanceof Date
      ? { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() }
      : date;
  if (!isCalendarDay(day)) {
    const shown = date instanceof Date ? String(date) : JSON.stringify(date);
    throw new Error(`invalid session date ${shown}: expected a real calendar day in years 1–9999`);
  }
  return `${pad(day.y, 4)}${pad(day.m, 2)}${pad(day.d, 2)}`;
}

function isDayString(value: string): boolean {
  if (!/^\d{8}$/.test(value)) return false;
  return isCalendarDay({
    y: Number(value.slice(0, 4)),
    m: Number(value.slice(4, 6)),
    d: Number(value.slice(6, 8)),
  });
}

function isCalendarDay({ y, m, d }: UtcDay): boolean {
  // An invalid Date yields NaN parts, which fail Number.isInteger.
  if (![y, m, d].every(Number.isInteger)) return false;
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  return d <= daysInMonth(y, m);
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
