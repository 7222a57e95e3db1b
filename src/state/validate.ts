import type { z } from 'zod';
import { formatIssues } from './format-issue.ts';
import { invalidInit, StateError, type StateErrorInit } from './state-error.ts';

/** Parses `value` with `schema`; on failure throws a `StateError` naming `file`, the JSON path and what was expected. */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  file: string,
  makeError: (init: StateErrorInit) => StateError = (init) => new StateError(init),
): z.output<S> {
  // reportInput lets messages say what was found ("got \"x\""), not only what was wanted.
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  throw makeError(invalidInit(file, formatIssues(result.error.issues, schema)));
}
