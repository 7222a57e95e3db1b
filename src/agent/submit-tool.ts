import type { BetaToolUnion } from '@anthropic-ai/sdk/resources/beta/messages/messages';
import { z } from 'zod';

export const SUBMIT_RESULT = 'submit_result';

/** The tool definition of the final `submit_result` call, whose input schema is the phase result's zod schema. */
export function submitToolDefinition(schema: z.ZodType, description: string): BetaToolUnion {
  const inputSchema = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  delete inputSchema.$schema;
  return {
    name: SUBMIT_RESULT,
    description,
    input_schema: { ...inputSchema, type: 'object' },
  };
}

/** Validates a submission; the errors name each bad field so the model can fix it. */
export function validateSubmission<R>(
  schema: z.ZodType<R>,
  input: unknown,
): { ok: true; value: R } | { ok: false; errors: string[] } {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => `${formatPath(issue.path) || '(root)'}: ${issue.message}`),
  };
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}
