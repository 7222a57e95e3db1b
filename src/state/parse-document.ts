import type { z } from 'zod';
import type { Phase } from '../core/phases.ts';
import { digest } from './digest.ts';
import { ENVELOPE_SCHEMAS, type EnvelopeOf, envelopeSchemaId } from './envelope.ts';
import { LEDGER_SCHEMA_ID, type Ledger, ledgerSchema } from './ledger.ts';
import { StateError } from './state-error.ts';
import { validate } from './validate.ts';

/** The file name of a phase's artifact in the session directory. */
export function artifactFileName(phase: Phase): string {
  return `${phase}.json`;
}

export const LEDGER_FILE_NAME = 'session.json';

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StateError({
      code: 'invalid-json',
      file,
      expected: 'valid JSON',
      message: `${file}: not valid JSON (${reason})`,
      cause: error,
    });
  }
}

/** Refuses a document of another kind or version before field-level validation muddles the message. */
function checkKind(value: unknown, file: string, schemaId: string): void {
  const expected = JSON.stringify(schemaId);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    throw new StateError({
      code: 'wrong-schema',
      file,
      expected: 'a JSON object',
      message: `${file}: expected a JSON object with schema ${expected}, got ${got}`,
    });
  }
  const actual = (value as Record<string, unknown>).schema;
  if (actual === schemaId) return;
  const got = actual === undefined ? 'missing' : `${JSON.stringify(actual)}`;
  throw new StateError({
    code: 'wrong-schema',
    file,
    path: 'schema',
    expected,
    message: `${file}: schema is ${got}, expected ${expected}`,
  });
}

function checkDigest(value: unknown, file: string, phase: Phase, expectedDigest: string): void {
  const actual = digest(value);
  if (actual === expectedDigest) return;
  throw new StateError({
    code: 'digest-mismatch',
    file,
    expected: `sha256 ${expectedDigest}`,
    message:
      `${file} was modified after it was recorded (sha256 mismatch: the ledger has ${expectedDigest.slice(0, 12)}…, ` +
      `the file has ${actual.slice(0, 12)}…). Restore the file ipo recorded, or say \`rollback ${phase}\` to run ${phase} ` +
      'again from its start (a retry of a later phase would read the same file).',
  });
}

export interface ParseArtifactOptions {
  /** The digest the ledger recorded for this artifact; anything else is refused. */
  expectedDigest: string;
  /** Name used in messages; defaults to `<phase>.json`. */
  file?: string;
}

/** Parses a phase artifact's text: valid JSON, the digest the ledger recorded, the right kind, every field. */
export function parseArtifact<P extends Phase>(
  phase: P,
  text: string,
  options: ParseArtifactOptions,
): EnvelopeOf<P> {
  const file = options.file ?? artifactFileName(phase);
  const value = parseJson(text, file);
  // The digest goes first: a file edited after it was recorded is best reported as exactly that.
  checkDigest(value, file, phase, options.expectedDigest);
  checkKind(value, file, envelopeSchemaId(phase));
  const schema: z.ZodType = ENVELOPE_SCHEMAS[phase];
  return validate(schema, value, file) as EnvelopeOf<P>;
}

/** Parses a ledger's text: valid JSON, `ipo.ledger/v1`, every field. */
export function parseLedger(text: string, file = LEDGER_FILE_NAME): Ledger {
  const value = parseJson(text, file);
  checkKind(value, file, LEDGER_SCHEMA_ID);
  return validate(ledgerSchema, value, file);
}

/** Validates `value` with `schema` and returns the text to write and its digest. */
export function serializeDocument<S extends z.ZodType>(
  schema: S,
  value: unknown,
  file: string,
): { text: string; digest: string; value: z.output<S> } {
  const parsed = validate(schema, value, file);
  return { text: `${JSON.stringify(parsed, null, 2)}\n`, digest: digest(parsed), value: parsed };
}
