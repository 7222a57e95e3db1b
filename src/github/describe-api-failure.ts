/**
 * A short account of a failed GitHub API call for a person: `GitHub answered 502 to POST
 * /repos/o/r/actions/workflows/ipo.yml/dispatches: Server Error`. Octokit's `RequestError` carries the status and
 * the request; anything else is described by its message.
 */
export function describeApiFailure(error: unknown): string {
  const e = error as {
    status?: number;
    message?: string;
    request?: { method?: string; url?: string };
  };
  const message = (e.message ?? String(error)).split('\n')[0]?.slice(0, 300) ?? '';
  if (typeof e.status !== 'number' || !e.request?.url) return message;
  let path = e.request.url;
  try {
    path = decodeURIComponent(new URL(path).pathname).replace(/^\/api\/v3(?=\/)/, '');
  } catch {
    // Not a URL: keep it as it is.
  }
  return `GitHub answered ${e.status} to ${e.request.method ?? 'a request'} ${path}${message ? `: ${message}` : ''}`;
}
