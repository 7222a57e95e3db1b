import { z } from 'zod';
import { GATED_PHASES, PHASES } from '../core/phases.ts';
import { TASK_ID_PATTERN } from '../core/task-id.ts';

/**
 * A string that must match `pattern`. The error text starts with "expected" and names the shape in words; the
 * issue formatter appends what it got, e.g. `expected "AC-<n>", got "x"`.
 */
export function patternString(pattern: RegExp, shape: string): z.ZodString {
  return z.string().regex(pattern, { error: `expected ${shape}` });
}

/** Git sha-1 object name, lowercase hex. */
export const GIT_SHA_PATTERN = /^[0-9a-f]{40}$/;
/** sha256 hex digest, lowercase. */
export const SHA256_PATTERN = /^[0-9a-f]{64}$/;
/**
 * Session ids are `phase-X.Y-YYYYMMDD`, `-<n>` (n ≥ 2) for the n-th session of a task that day. The JSON Schema
 * form of core `parseSessionId`, which also checks the date is a real day.
 */
export const SESSION_ID_PATTERN = /^phase-\d{1,4}\.\d{1,4}(?:\.\d{1,4})?-\d{8}(?:-(?:[2-9]|[1-9]\d+))?$/;
/** Acceptance-criterion ids: `AC-1`, `AC-2`, … */
export const AC_ID_PATTERN = /^AC-\d+$/;
/** Requirement ids: `R-1`, `R-2`, … */
export const REQUIREMENT_ID_PATTERN = /^R-\d+$/;

export const gitShaSchema = patternString(GIT_SHA_PATTERN, 'a 40-character lowercase hex git sha').describe(
  'Full git commit sha (40 lowercase hex characters).',
);
export const sha256Schema = patternString(SHA256_PATTERN, 'a 64-character lowercase hex sha256').describe(
  'sha256 hex digest of the RFC 8785 canonical JSON of the value.',
);
export const sessionIdSchema = patternString(SESSION_ID_PATTERN, '"phase-<task>-<YYYYMMDD>[-<n>]"').describe(
  'Session id, `phase-X.Y-YYYYMMDD` (UTC start date), `-2`, `-3`… for further sessions that day.',
);
export const taskIdSchema = patternString(TASK_ID_PATTERN, '"<X>.<Y>" or "<X>.<Y>.<Z>"').describe(
  'Roadmap task id, `X.Y` or `X.Y.Z` (digits only).',
);
export const acIdSchema = patternString(AC_ID_PATTERN, '"AC-<n>"').describe(
  'Acceptance-criterion id, `AC-<n>`.',
);
export const requirementIdSchema = patternString(REQUIREMENT_ID_PATTERN, '"R-<n>"').describe(
  'Requirement id, `R-<n>`.',
);
export const isoDateTimeSchema = z.iso
  .datetime({ error: 'expected an ISO 8601 UTC date-time like "2025-01-31T12:00:00.000Z"' })
  .describe('UTC timestamp in ISO 8601 form (`Date.prototype.toISOString()`).');

export const phaseSchema = z.enum(PHASES).describe('One of the four phases, in order.');
export const gatedPhaseSchema = z.enum(GATED_PHASES).describe('A phase that starts only after an approval.');
export const loginSchema = z.string().min(1).describe('GitHub login (or local user name for CLI sessions).');
export const countSchema = z.number().int().min(0);

/** Free text written by the model; bounded so handoff artifacts stay small. */
export function textSchema(max = 2000): z.ZodString {
  return z.string().min(1).max(max);
}

/** A named input of a phase run and the digest it had (artifact, task text, spec, retry feedback). */
export const inputRefSchema = z
  .strictObject({
    name: z
      .string()
      .min(1)
      .describe('Input name: an artifact (`alignment`, `implementation`, …) or `task`, `spec`, `feedback`.'),
    sha256: sha256Schema,
  })
  .meta({
    title: 'Input reference',
    description: 'A phase input and the digest it had when the phase read it.',
  });
