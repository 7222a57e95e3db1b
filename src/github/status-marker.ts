import { z } from 'zod';
import { proseLines } from '../core/commands/prose-lines.ts';
import type { SessionStatus, SessionView } from '../core/session/session-state.ts';
import { truncate } from '../report/format.ts';
import { digest } from '../state/digest.ts';
import { type Ledger, ledgerSchema } from '../state/ledger.ts';
import {
  countSchema,
  loginSchema,
  phaseSchema,
  sessionIdSchema,
  sha256Schema,
  taskIdSchema,
} from '../state/primitives.ts';
import { sessionStatusSchema } from '../state/session-status.ts';

const runIdSchema = z.number().int().positive().describe('GitHub Actions workflow run id.');

export const statusMarkerRunSchema = z.strictObject({
  phase: phaseSchema,
  attempt: countSchema.min(1),
  runId: runIdSchema,
  conclusion: z.string().min(1).optional().describe("The workflow run's conclusion, once it completed."),
});

/**
 * The hidden JSON in the sticky status comment: where the session stands and which run holds its state. It counts
 * only in a comment by ipo's own bot identity, bound to its repository and issue, and (where a state key is set)
 * sealed with an HMAC — see marker-trust.ts. Jobs still compare `ledgerDigest` with the artifact chain.
 * Strict, like every ipo document: a field is only added with a new marker version.
 */
export const statusMarkerSchema = z.strictObject({
  repo: z
    .string()
    .regex(/^[^/\s]+\/[^/\s]+$/)
    .describe('`owner/name` of the repository the marker belongs to: a copy elsewhere does not count.'),
  session: sessionIdSchema,
  taskId: taskIdSchema,
  branch: z.string().min(1),
  state: sessionStatusSchema,
  ledgerDigest: sha256Schema
    .optional()
    .describe(
      'sha256 of the canonical JSON of the latest exported ledger; absent until the first job reports.',
    ),
  lastRunId: runIdSchema.optional(),
  lastRunSha: z
    .string()
    .regex(/^[0-9a-f]{40}$/)
    .optional()
    .describe(
      "The commit the last run ran (its `head_sha`): checked against the default branch's history while the run is fetched.",
    ),
  runs: z.array(statusMarkerRunSchema).optional(),
  startedBy: loginSchema,
  issueNumber: z.number().int().positive(),
  baseBranch: z.string().min(1).describe('The default branch the session was cut from.'),
  attempts: ledgerSchema.shape.attempts,
  bases: ledgerSchema.shape.bases,
  digests: ledgerSchema.shape.digests,
  version: z
    .number()
    .int()
    .positive()
    .describe('Counts every change of the session: a command claims the version it was decided on, once.'),
  pending: z
    .array(z.number().int().positive())
    .max(20)
    .optional()
    .describe(
      'Ids of the comments whose commands the app carried out since the last exported ledger, oldest first.',
    ),
  task: z
    .strictObject({
      blob: z.string().regex(/^[0-9a-f]{40}$/),
      sha256: sha256Schema,
    })
    .optional()
    .describe('The issue text as it was when the session started: a git blob and its digest.'),
  sig: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional()
    .describe(
      'HMAC-SHA256 over the canonical JSON of every other field, with the state key of the repository.',
    ),
});

export type StatusMarker = z.infer<typeof statusMarkerSchema>;
export type StatusMarkerRun = z.infer<typeof statusMarkerRunSchema>;

const PREFIX = '<!-- ipo:status v2 ';
const SUFFIX = ' -->';
const MAX_REASON = 2000;
const MARKER_LINE = /^<!-- ipo:status v2 (\{.*\}) -->$/;
/** Any version of the marker line: a comment ending with one is a status comment, trusted or not. */
const ANY_MARKER_LINE = /^<!-- ipo:status v\d+ .*-->$/;

/** The marker of `ledger` as shown on issue `issueNumber`, with the digest computed from the ledger itself. */
export function statusMarkerFor(
  ledger: Ledger,
  extra: {
    repo: string;
    issueNumber: number;
    version: number;
    lastRunId?: number;
    lastRunSha?: string;
    runs?: StatusMarkerRun[];
    task?: StatusMarker['task'];
  },
): StatusMarker {
  return statusMarkerSchema.parse({
    session: ledger.session,
    taskId: ledger.taskId,
    branch: ledger.branch,
    state: boundedStatus(ledger.status),
    ledgerDigest: digest(ledger),
    startedBy: ledger.startedBy,
    baseBranch: ledger.baseBranch,
    attempts: ledger.attempts,
    bases: ledger.bases,
    digests: ledger.digests,
    ...extra,
  });
}

/**
 * The status with its error or reason cut to `MAX_REASON` characters: GitHub refuses comments over 65,536
 * characters, and the marker only points at the state (the table above it shows the reason anyway).
 */
function boundedStatus(status: SessionStatus): SessionStatus {
  if (status.kind === 'failed') return { ...status, error: truncate(status.error, MAX_REASON) };
  if (status.kind === 'blocked') return { ...status, reason: truncate(status.reason, MAX_REASON) };
  return status;
}

/** `<!-- ipo:status v2 {json} -->` on one line; the JSON cannot end the HTML comment early. */
export function renderStatusMarker(marker: StatusMarker): string {
  const json = JSON.stringify(statusMarkerSchema.parse(marker))
    // `--` (and so `-->`, `--!>`) only occurs inside JSON strings, where `\u002d` reads back as the same text;
    // angle brackets too, so no HTML parser ever sees a tag or a comment end in the marker.
    .replaceAll('--', '\\u002d\\u002d')
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e');
  return `${PREFIX}${json}${SUFFIX}`;
}

/**
 * The marker a status comment ends with, or null. It counts only as the body's last non-blank line, written as a
 * raw HTML comment where markdown would show prose: a marker quoted in a code block, a block quote or inline code
 * is just text a person pasted. Malformed JSON or a schema mismatch also gives null.
 */
export function parseStatusMarker(body: string): StatusMarker | null {
  const read = readMarkerLine(body);
  return read.kind === 'marker' ? read.marker : null;
}

/**
 * What a comment body's marker line holds: a valid marker; a marker line that does not parse (truncated, another
 * version, edited into invalid JSON); or none (not a status comment, or a marker quoted as text).
 */
export function readMarkerLine(
  body: string,
): { kind: 'marker'; marker: StatusMarker } | { kind: 'malformed'; reason: string } | { kind: 'none' } {
  const lines = body.split(/\r\n|\r|\n/);
  let last = lines.length - 1;
  while (last >= 0 && (lines[last] ?? '').trim() === '') last -= 1;
  const line = lines[last] ?? '';
  if (!ANY_MARKER_LINE.test(line) || !startsBlockOutsideCode(lines.slice(0, last))) return { kind: 'none' };
  const match = MARKER_LINE.exec(line);
  if (!match?.[1]) return { kind: 'malformed', reason: 'its marker is of another version, or cut short' };
  try {
    const parsed = statusMarkerSchema.safeParse(JSON.parse(match[1]));
    return parsed.success
      ? { kind: 'marker', marker: parsed.data }
      : { kind: 'malformed', reason: 'its marker does not match the marker schema' };
  } catch {
    return { kind: 'malformed', reason: 'its marker is not valid JSON' };
  }
}

/**
 * Whether a line after `before` starts in the open: not inside a fence, an indented block, a quote or an HTML
 * comment left open. Probed with a plain word after a blank line (which ends any paragraph or quote).
 */
function startsBlockOutsideCode(before: readonly string[]): boolean {
  const probe = proseLines([...before, '', 'probe'].join('\n')).at(-1);
  return probe !== undefined && !probe.hidden && probe.text === 'probe';
}

/** The session as the state machine sees it, from the marker alone (the app keeps no other state). */
export function markerView(marker: StatusMarker): SessionView {
  return {
    id: marker.session,
    taskId: marker.taskId,
    startedBy: marker.startedBy,
    status: marker.state,
    attempts: marker.attempts,
    bases: marker.bases,
    digests: marker.digests,
  };
}

/** Records a run in the marker, replacing an earlier record of the same phase and attempt. */
export function withRun<M extends Pick<StatusMarker, 'runs'>>(marker: M, run: StatusMarkerRun): M {
  const runs = (marker.runs ?? []).filter((r) => !(r.phase === run.phase && r.attempt === run.attempt));
  return { ...marker, runs: [...runs, run] };
}
