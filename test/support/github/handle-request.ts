import type { IncomingMessage, ServerResponse } from 'node:http';
import { admit, authenticate } from './authenticate.ts';
import type { FaultInjector } from './fault-injector.ts';
import { isPushRequest, serveGitHttp } from './git-http-backend.ts';
import type { GitHubState, RepoRecord } from './github-state.ts';
import type { Site } from './github-types.ts';
import type { LocalApp } from './local-app.ts';
import { parseAuthorization } from './parse-authorization.ts';
import { classifyPath, type RecordedRequest, readText, sendReply } from './recorded-request.ts';
import { errorBody, HttpError, notFound, type Reply } from './reply.ts';
import { parseBody } from './request-body.ts';
import type { Router } from './router.ts';
import { answerGraphql } from './routes/graphql-route.ts';
import { hookConfigEnv } from './workflow-push-hook.ts';

export interface RequestDeps {
  /** `GIT_PROJECT_ROOT`: holds `<owner>/<repo>.git`. */
  root: string;
  site: Site;
  state: GitHubState;
  /** API routes, relative to `/api/v3`. */
  router: Router;
  /** Routes outside the API (web paths), e.g. the download URL an artifact redirects to. */
  webRouter: Router;
  faults: FaultInjector;
  /** Accepted token → the login it acts as. */
  tokens: Readonly<Record<string, string>>;
  /** Tokens that may only read (a job's `GITHUB_TOKEN` with `permissions: read`). */
  readOnlyTokens: ReadonlySet<string>;
  /** Tokens without the `workflows` permission (a job's GITHUB_TOKEN): their pushes run this hooks directory. */
  withoutWorkflows: { tokens: ReadonlySet<string>; hooksDir: string };
  requests: RecordedRequest[];
  /** The registered GitHub App, whose JWTs reach the `/app` endpoints. */
  app: LocalApp | undefined;
  mainRepo(): RepoRecord;
}

/** Records the request, then: injected fault, else git smart HTTP, else auth → GraphQL, a REST or a web route. */
export async function handleRequest(
  req: IncomingMessage,
  res: ServerResponse,
  deps: RequestDeps,
): Promise<void> {
  const url = new URL(req.url ?? '/', deps.site.webUrl);
  const method = req.method ?? 'GET';
  const { kind, path } = classifyPath(url.pathname);
  const record: RecordedRequest = {
    kind,
    method,
    path,
    query: Object.fromEntries(url.searchParams),
    body: undefined,
    hasAuthorization: Boolean(req.headers.authorization),
    status: 0,
  };
  deps.requests.push(record);
  const requestId = `LOCAL:${deps.requests.length}`;
  const answer = (reply: Reply) => {
    record.status = reply.status;
    sendReply(res, { ...reply, headers: { 'x-github-request-id': requestId, ...reply.headers } });
  };
  const bearer = parseAuthorization(req.headers.authorization);
  const credentials = authenticate(bearer, deps.tokens, deps.app);
  const actor = credentials.kind === 'token' ? credentials.login : undefined;
  // A read-only GITHUB_TOKEN: GitHub answers any write with 403 "Resource not accessible by integration"
  // (https://docs.github.com/en/actions/security-for-github-actions/security-guides/automatic-token-authentication#permissions-for-the-github_token),
  // and a push with 403 from git. Reading stays open.
  const readOnly = bearer !== undefined && deps.readOnlyTokens.has(bearer);
  const writes =
    kind === 'git' ? isPushRequest(path, url.searchParams) : !['GET', 'HEAD'].includes(method.toUpperCase());
  if (readOnly && writes) {
    req.resume();
    return answer({ status: 403, body: errorBody(403, 'Resource not accessible by integration') });
  }
  const taken = deps.faults.take(method, path);
  if (taken?.delayMs) await new Promise((resolve) => setTimeout(resolve, taken.delayMs));
  const fault = taken?.fault;

  if (kind === 'git') {
    // Reading is open (a public repository); a push, or any bad credentials, gets 401 so git asks for auth.
    const refused =
      (req.headers.authorization && !actor) || (!actor && isPushRequest(path, url.searchParams));
    if (fault || refused) {
      req.resume();
      return answer(
        fault ?? {
          status: 401,
          body: errorBody(401, 'Bad credentials'),
          headers: { 'www-authenticate': 'Basic realm="local GitHub"' },
        },
      );
    }
    const noWorkflows = bearer !== undefined && deps.withoutWorkflows.tokens.has(bearer);
    const cgi = {
      root: deps.root,
      pathInfo: path,
      query: url.search.slice(1),
      remoteUser: actor,
      ...(noWorkflows ? { env: hookConfigEnv(deps.withoutWorkflows.hooksDir) } : {}),
    };
    record.status = await serveGitHttp(req, res, cgi);
    return;
  }
  try {
    const body = parseBody(await readText(req));
    record.body = body;
    if (fault && !fault.afterHandling) return answer(fault);
    if (kind === 'graphql') {
      admit('token', credentials);
      if (method !== 'POST') throw noRoute(method, url.pathname);
      return answer(fault ?? answerGraphql(body, deps.state, deps.site));
    }
    const found = (kind === 'other' ? deps.webRouter : deps.router).match(method, path);
    if (!found) {
      // Without credentials GitHub answers 401 before it looks for the endpoint.
      if (kind === 'rest') admit('token', credentials);
      throw noRoute(method, path);
    }
    const who = admit(found.auth, credentials);
    const { owner, repo: name } = found.params;
    const repo = owner !== undefined && name !== undefined ? deps.state.repo(owner, name) : deps.mainRepo();
    if (!repo) throw notFound();
    const reply = await found.handler({
      params: found.params,
      url,
      body,
      headers: req.headers,
      actor: who,
      repo,
    });
    answer(fault ?? reply);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    answer(error.reply());
  }
}

// Names the missing endpoint so a test that needs one more route says so at once.
function noRoute(method: string, path: string): HttpError {
  return new HttpError(404, `local GitHub: no route for ${method} ${path}`);
}
