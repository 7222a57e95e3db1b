/** What every redacted secret becomes. */
export const REDACTED = '[REDACTED]';

/** Secret values shorter than this are not redacted by value: they would blank out ordinary words and numbers. */
export const MIN_SECRET_LENGTH = 6;

export type Redactor = (text: string) => string;

/**
 * Credential shapes redacted even when their value was never handed to the redactor. A prefix kept in group 1
 * (`Bearer `, `x-api-key: `) stays readable so the log still says what was there.
 */
const TOKEN_SHAPES: readonly RegExp[] = [
  /()\bsk-ant-[A-Za-z0-9_-]{8,}/g, // Anthropic API and OAuth keys
  /()\bgh[pousr]_[A-Za-z0-9]{20,}/g, // GitHub classic, OAuth, server, user, refresh tokens
  /()\bgithub_pat_[A-Za-z0-9_]{20,}/g, // GitHub fine-grained tokens
  /(\bBearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  /(\bx-api-key["']?\s*[:=]\s*["']?)[^\s"',;}]+/gi,
  /(\bauthorization["']?\s*[:=]\s*["']?(?:basic|token)\s+)[A-Za-z0-9._~+/=-]+/gi,
];

/**
 * A function replacing each known secret value (6+ characters) and each known token shape with `[REDACTED]`.
 * Apply it to anything leaving the process: comments, summaries, logs, transcripts.
 */
export function createRedactor(secrets: readonly string[]): Redactor {
  // Longest first, so a secret that contains another is replaced whole.
  const values = [...new Set(secrets.filter((secret) => secret.length >= MIN_SECRET_LENGTH))].sort(
    (a, b) => b.length - a.length,
  );
  const byValue = values.length > 0 ? new RegExp(values.map(escapeRegExp).join('|'), 'g') : null;
  return (text) => {
    let out = byValue ? text.replace(byValue, REDACTED) : text;
    for (const shape of TOKEN_SHAPES)
      out = out.replace(shape, (_match, prefix: string) => `${prefix}${REDACTED}`);
    return out;
  };
}

/** Shape-only redaction, for callers that hold no secret values. */
export const redactKnownShapes: Redactor = createRedactor([]);

/**
 * A deep copy of a JSON-like value with every string (object keys included) passed through `redact`. Values
 * that are not plain data (class instances, functions) are passed through JSON first, as a transcript would be.
 */
export function redactDeep<T>(value: T, redact: Redactor = redactKnownShapes): T {
  if (value === undefined) return value;
  return walk(JSON.parse(JSON.stringify(value)), redact) as T;
}

function walk(value: unknown, redact: Redactor): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => walk(item, redact));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [redact(key), walk(item, redact)]));
  }
  return value;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
