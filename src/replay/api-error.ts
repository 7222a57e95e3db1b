import type { FaultStatus } from './script-schema.ts';

/** Error types the replay server answers with (a subset of the SDK's `ErrorType`). */
export type ApiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error';

/** The JSON body of an API error response. */
export interface ApiErrorBody {
  type: 'error';
  error: { type: ApiErrorType; message: string; details?: Record<string, unknown> };
  request_id: string;
}

/** Status code the API uses for each error type (https://docs.claude.com/en/api/errors). */
export const ERROR_STATUS: Record<ApiErrorType, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
};

/** The error type and default message the API sends with each scripted fault status. */
export const FAULT_ERRORS: Record<FaultStatus, { type: ApiErrorType; message: string }> = {
  400: { type: 'invalid_request_error', message: 'max_tokens: Field required' },
  401: { type: 'authentication_error', message: 'invalid x-api-key' },
  403: {
    type: 'permission_error',
    message: 'Your API key does not have permission to use the specified resource.',
  },
  404: { type: 'not_found_error', message: 'model: claude-nonexistent' },
  413: { type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' },
  429: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your rate limit' },
  500: { type: 'api_error', message: 'Internal server error' },
  503: { type: 'api_error', message: 'Service unavailable' },
  529: { type: 'overloaded_error', message: 'Overloaded' },
};

/** Builds the `{ type: "error", error, request_id }` body; `details.error_code` picks the SDK's specific error class. */
export function errorBody(
  type: ApiErrorType,
  message: string,
  requestId: string,
  details?: Record<string, unknown>,
): ApiErrorBody {
  const error = details === undefined ? { type, message } : { type, message, details };
  return { type: 'error', error, request_id: requestId };
}
