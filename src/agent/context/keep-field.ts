import { z } from 'zod';
import { KEEP_FIELD_DESCRIPTION } from './clear-policy.ts';

/**
 * The `keep` input field of the tools whose results are worth keeping (reads, searches, commands). A field on the
 * call rather than a separate `keep_result` tool: the model decides when it asks, and keeping costs no extra turn
 * (each turn re-sends the whole conversation).
 */
export function keepField() {
  return z.boolean().describe(KEEP_FIELD_DESCRIPTION).optional();
}
