/** What a route answers; the server turns it into JSON with GitHub's headers (a Buffer body goes out as is). */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const DOCS = 'https://docs.github.com/rest';

/** GitHub's error body: `{ message, documentation_url, status }` (status is a string on GitHub). */
export function errorBody(status: number, message: string, extra: Record<string, unknown> = {}) {
  return { message, ...extra, documentation_url: DOCS, status: String(status) };
}

/** Thrown by a route to answer with a GitHub-shaped error. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }

  reply(): Reply {
    return { status: this.status, body: errorBody(this.status, this.message, this.extra) };
  }
}

export const notFound = () => new HttpError(404, 'Not Found');

/** 422 "Validation Failed" with one error entry, the way GitHub reports a bad field. */
export function validationFailed(resource: string, field: string, code: string, message?: string): HttpError {
  const error = message ? { resource, field, code, message } : { resource, field, code };
  return new HttpError(422, 'Validation Failed', { errors: [error] });
}
