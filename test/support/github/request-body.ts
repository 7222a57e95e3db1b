import { HttpError } from './reply.ts';

/** The JSON object a write endpoint received; anything else is GitHub's 400 "Problems parsing JSON". */
export type Body = Record<string, unknown>;

export function parseBody(text: string): Body | undefined {
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'Problems parsing JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'Problems parsing JSON');
  }
  return value as Body;
}

/** A required string field, or GitHub's 422 naming it. */
export function requireString(body: Body | undefined, field: string): string {
  const value = body?.[field];
  if (typeof value !== 'string') throw new HttpError(422, `Invalid request.\n\n"${field}" wasn't supplied.`);
  return value;
}

export function optionalString(body: Body | undefined, field: string): string | undefined {
  const value = body?.[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new HttpError(422, `Invalid request.\n\n"${field}" must be a string.`);
  return value;
}

export function optionalBoolean(body: Body | undefined, field: string): boolean | undefined {
  const value = body?.[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean')
    throw new HttpError(422, `Invalid request.\n\n"${field}" must be a boolean.`);
  return value;
}
