import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** The RFC 8785 (JCS) canonical JSON text of `value`; throws on values JSON cannot represent. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) {
    throw new TypeError(`cannot digest ${typeof value}: it has no JSON form`);
  }
  return text;
}

/** sha256 hex over the RFC 8785 canonical JSON of `value`: equal for equal data, whatever the key order. */
export function digest(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}
