import type { IncomingHttpHeaders } from 'node:http';
import type { RepoRecord } from './github-state.ts';
import type { Reply } from './reply.ts';
import type { Body } from './request-body.ts';

export interface RouteContext {
  /** Path parameters, URL-decoded (Octokit sends `heads/main` as `heads%2Fmain`). */
  params: Record<string, string>;
  url: URL;
  body: Body | undefined;
  /** Request headers (lower-case names), e.g. `accept` for the media type asked for. */
  headers: IncomingHttpHeaders;
  /** The login the credentials act as (`<slug>[bot]` for the app's JWT); empty for a public route. */
  actor: string;
  /** The repository named by `:owner/:repo`; the main repository for routes without those. */
  repo: RepoRecord;
}

export type Handler = (ctx: RouteContext) => Reply | Promise<Reply>;

/** Which credentials a route takes: an API token (the default), the GitHub App's JWT, or none (a public URL). */
export type RouteAuth = 'token' | 'app' | 'none';

interface Route {
  method: string;
  regex: RegExp;
  names: string[];
  handler: Handler;
  auth: RouteAuth;
}

export interface RouteMatch {
  handler: Handler;
  params: Record<string, string>;
  auth: RouteAuth;
}

/** Method + path-pattern routing: `:name` matches one segment, `*name` the rest of the path. */
export class Router {
  private readonly routes: Route[] = [];

  /** Adds a route after the others; `first` puts it before them, so it overrides a built-in one. */
  add(
    method: string,
    pattern: string,
    handler: Handler,
    options: { auth?: RouteAuth; first?: boolean } = {},
  ) {
    const names: string[] = [];
    const source = pattern.replace(/[:*](\w+)/g, (token, name: string) => {
      names.push(name);
      return token.startsWith('*') ? '(.+)' : '([^/]+)';
    });
    const route: Route = {
      method: method.toUpperCase(),
      regex: new RegExp(`^${source}/?$`),
      names,
      handler,
      auth: options.auth ?? 'token',
    };
    if (options.first) this.routes.unshift(route);
    else this.routes.push(route);
  }

  match(method: string, path: string): RouteMatch | undefined {
    for (const route of this.routes) {
      if (route.method !== method.toUpperCase()) continue;
      const found = route.regex.exec(path);
      if (!found) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = decodeURIComponent(found[i + 1] ?? '');
      });
      return { handler: route.handler, params, auth: route.auth };
    }
    return undefined;
  }
}
