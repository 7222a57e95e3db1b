import type { Trailer } from '../../state/artifacts/commit.ts';
import { type GatedPhase, proceedPhrase } from '../phases.ts';
import { wrapBody } from './wrap-body.ts';

export interface CommitMessageInput {
  /** Conventional Commit type: `feat`, `fix`, `refactor`, … */
  type: string;
  scope?: string | undefined;
  subject: string;
  body?: string | undefined;
  trailers: readonly Trailer[];
}

/** Conventional limit for a commit's first line (GitHub truncates longer ones). */
export const HEADER_MAX = 72;
const TYPE = /^[a-z][a-z0-9-]*$/;
const TRAILER_KEY = /^[A-Za-z][A-Za-z0-9-]*$/;
// Room the subject needs at least; a longer type(scope) is a caller bug, not something to truncate around.
const MIN_SUBJECT = 16;

/**
 * A Conventional Commit message: `type(scope): subject` (at most 72 characters, the subject shortened at a word
 * with `…` if needed, no trailing period, first letter lower-cased unless the first word is an acronym or
 * identifier), the body wrapped at 72 columns, then one `Key: value` line per trailer. Throws on an invalid type,
 * scope or trailer key, and on `Signed-off-by`, which only a person may add (ARCHITECTURE §2).
 */
export function buildCommitMessage(input: CommitMessageInput): string {
  if (!TYPE.test(input.type)) throw new Error(`invalid commit type ${JSON.stringify(input.type)}`);
  const scope = input.scope?.trim() ?? '';
  if (/[():\s]/.test(scope)) throw new Error(`invalid commit scope ${JSON.stringify(input.scope)}`);
  const prefix = `${input.type}${scope === '' ? '' : `(${scope})`}: `;
  const room = HEADER_MAX - length(prefix);
  if (room < MIN_SUBJECT) throw new Error(`commit type and scope ${JSON.stringify(prefix)} are too long`);
  const subject = fitSubject(cleanSubject(input.subject, input.type), room);
  // git reads a line starting with `---` as the start of a patch and stops looking for trailers there.
  const body = wrapBody(input.body ?? '').replace(/^---(?=\s|$)/gm, ' ---');
  const trailers = input.trailers.map(formatTrailer);
  return `${[prefix + subject, body, trailers.join('\n')].filter((part) => part !== '').join('\n\n')}\n`;
}

export interface CommitTrailersInput {
  session: string;
  taskId: string;
  /** Acceptance criteria that passed, and how many there are. */
  passed: number;
  total: number;
  approvals: readonly { gate: GatedPhase; approver: string }[];
  /** Models the session used, in order of first use (repeats are dropped). */
  models: readonly string[];
  /** Whether to credit the models with `Assisted-by` (configurable). */
  assistedBy: boolean;
}

/**
 * The session's trailers in order: `Ipo-Session`, `Ipo-Task`, `Ipo-Verification: 5/5 criteria pass`, one
 * `Approved-by: <login> (proceed to <gate>)` per approval (an identical repeat is dropped), and, when enabled,
 * one `Assisted-by: <model>` per distinct model. Never `Signed-off-by`: that is a person's statement.
 */
export function commitTrailers(input: CommitTrailersInput): Trailer[] {
  const { passed, total } = input;
  if (!Number.isInteger(passed) || !Number.isInteger(total) || passed < 0 || passed > total) {
    throw new Error(`invalid verification count ${passed}/${total}`);
  }
  const trailers: Trailer[] = [
    { key: 'Ipo-Session', value: input.session },
    { key: 'Ipo-Task', value: input.taskId },
    { key: 'Ipo-Verification', value: `${passed}/${total} criteria pass` },
  ];
  for (const approval of input.approvals) {
    trailers.push({
      key: 'Approved-by',
      value: `${oneLine(approval.approver)} (${proceedPhrase(approval.gate)})`,
    });
  }
  if (input.assistedBy) {
    for (const model of input.models) trailers.push({ key: 'Assisted-by', value: oneLine(model) });
  }
  const seen = new Set<string>();
  return trailers.filter((t) => {
    const line = `${t.key}: ${t.value}`;
    if (t.value === '' || seen.has(line)) return false;
    seen.add(line);
    return true;
  });
}

function formatTrailer(trailer: Trailer): string {
  if (!TRAILER_KEY.test(trailer.key)) throw new Error(`invalid trailer key ${JSON.stringify(trailer.key)}`);
  if (trailer.key.toLowerCase() === 'signed-off-by') {
    throw new Error('refusing to add Signed-off-by: only the person signing off may add it');
  }
  const value = oneLine(trailer.value);
  if (value === '') throw new Error(`trailer ${trailer.key} has an empty value`);
  return `${trailer.key}: ${value}`;
}

/** The subject on one line, without a repeated `type(scope):` prefix or a trailing period, lower-cased. */
function cleanSubject(subject: string, type: string): string {
  const repeated = new RegExp(`^${type}(?:\\([^)]*\\))?!?:\\s*`);
  const clean = oneLine(subject)
    .replace(repeated, '')
    .replace(/[\s.]+$/, '');
  if (clean === '') throw new Error('commit subject is empty');
  // An ordinary capitalised word ("Add") is lowered; "API", "GitHub", "README.md" or "TailBuffer" are kept.
  const first = clean.split(' ')[0] ?? '';
  return /^[A-Z][a-z]*(?:'[a-z]+)?[,;:]?$/.test(first) ? clean[0]?.toLowerCase() + clean.slice(1) : clean;
}

/** Shortens `subject` to `room` characters at a word boundary, ending in `…`. */
function fitSubject(subject: string, room: number): string {
  const chars = Array.from(subject);
  if (chars.length <= room) return subject;
  let cut = chars.slice(0, room - 1).join('');
  const space = cut.lastIndexOf(' ');
  // Cut at a word unless that would throw away more than half of the room.
  if (space >= room / 2) cut = cut.slice(0, space);
  return `${cut.replace(/[\s.,;:!?(\-–—]+$/, '')}…`;
}

/** Trailer values and subjects are single-line: any run of whitespace (newlines too) becomes one space. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function length(text: string): number {
  return Array.from(text).length;
}
