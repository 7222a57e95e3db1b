import type { DispatchInput } from './parse-workflow.ts';
import { HttpError } from './reply.ts';

export type InputValue = string | number | boolean;

/**
 * Checks a dispatch's `inputs` against the workflow's declaration as GitHub does (count, unexpected names,
 * required ones, choice options, booleans) and returns the `inputs` context the run sees: the given values
 * plus the declared defaults (`''`, or `false` for a boolean, when a default is missing).
 */
export function resolveDispatchInputs(
  declared: Readonly<Record<string, DispatchInput>>,
  given: unknown,
  maxInputs: number,
): Record<string, InputValue> {
  if (given !== undefined && given !== null && (typeof given !== 'object' || Array.isArray(given))) {
    throw new HttpError(422, "Invalid request.\n\nFor 'properties/inputs', it is not an object.");
  }
  const values = (given ?? {}) as Record<string, unknown>;
  const names = Object.keys(values);
  if (names.length > maxInputs) {
    throw new HttpError(
      422,
      `you may only define up to ${maxInputs} \`inputs\` for a \`workflow_dispatch\` event`,
    );
  }
  const unexpected = names.filter((name) => !(name in declared));
  if (unexpected.length > 0)
    throw new HttpError(422, `Unexpected inputs provided: ${JSON.stringify(unexpected)}`);

  const resolved: Record<string, InputValue> = {};
  for (const [name, spec] of Object.entries(declared)) {
    const value = values[name];
    if (value === undefined || value === null) {
      if (spec.required && spec.default === undefined)
        throw new HttpError(422, `Required input '${name}' not provided`);
      resolved[name] = fallback(spec);
      continue;
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new HttpError(422, `Provided value for input '${name}' must be a string, number or boolean`);
    }
    resolved[name] = checked(name, spec, value);
  }
  return resolved;
}

function fallback(spec: DispatchInput): InputValue {
  const value = spec.default;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return spec.type === 'boolean' ? false : '';
}

function checked(name: string, spec: DispatchInput, value: InputValue): InputValue {
  if (spec.type === 'choice' && spec.options && !spec.options.includes(String(value))) {
    throw new HttpError(
      422,
      `Provided value '${value}' for input '${name}' not in the list of allowed values`,
    );
  }
  if (spec.type === 'boolean') {
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    throw new HttpError(422, `Provided value '${value}' for input '${name}' is not a valid boolean`);
  }
  return value;
}
