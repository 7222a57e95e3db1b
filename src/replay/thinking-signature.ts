import { createHmac, randomBytes } from 'node:crypto';

// One key per process: a signature the replay server made verifies only against the same text, like the API's
// opaque signatures, and a script cannot forge one.
const KEY = randomBytes(32);

/** The `signature` the server attaches to a thinking block it serves. */
export function signThinking(thinking: string): string {
  return createHmac('sha256', KEY).update(thinking, 'utf8').digest('base64');
}

/** Whether `signature` is the one the server made for exactly this thinking text. */
export function verifyThinking(thinking: string, signature: unknown): boolean {
  return typeof signature === 'string' && signature === signThinking(thinking);
}
