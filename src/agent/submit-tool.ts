import type { BetaToolUnion } from '@anthropic-ai/sdk/resources/beta/messages/messages';
import type { z } from 'zod';
import { formatIssues } from '../state/format-issue.ts';
import { toToolInputSchema } from '../state/json-schema.ts';

export const SUBMIT_RESULT = 'submit_result';

/** The tool definition of the final `submit_result` call, whose input schema is the phase result's zod schema. */
export function submitToolDefinition(
  schema: z.ZodType,
  description: string,
  name = SUBMIT_RESULT,
): BetaToolUnion {
  return { name, description, input_schema: toToolInputSchema(schema) };
}

/** Validates a submission; the errors name each bad field (and what was sent) so the model can fix it. */
export function validateSubmission<R>(
  schema: z.ZodType<R>,
  input: unknown,
): { ok: true; value: R } | { ok: false; errors: string[] } {
  const parsed = schema.safeParse(input, { reportInput: true });
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, errors: formatIssues(parsed.error.issues, schema).map((report) => report.text) };
}
