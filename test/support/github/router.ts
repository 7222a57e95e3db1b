import type { RepoRecord } from './github-state.ts';
import type { Reply } from './reply.ts';
import type { Body } from './request-body.ts';

export interface RouteContext {
  /** Path parameters, URL-decoded (Octokit sends `heads/main` as `heads%2Fmain`). */
  params: Record<string, string>;
  url: URL;
  body: Body | undefined;
  /** The login the token belongs to. */
  actor: string;
  /** The repository named by `:owner/:repo`; the main repository for routes without those. */
  repo: RepoRecord;
}

export type Handler = (ctx: RouteContext) => Reply | Promise<Reply>;

interface Route {
  method: string;
  regex: RegExp;
  names: string[];
  handler: Handler;
}

/** Method + path-pattern routing: `:name` matches one segment, `*name` the rest of the path. */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler): void {
    const names: string[] = [];
    const source = pattern.replace(/[:*](\w+)/g, (token, name: string) => {
      names.push(name);
      return token.startsWith('*') ? '(.+)' : '([^/]+)';
    });
    this.routes.push({ method: method.toUpperCase(), regex: new RegExp(`^${source}/?$`), names, handler });
  }

  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      if (route.method !== method.toUpperCase()) continue;
      const found = route.regex.exec(path);
      if (!found) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = decodeURIComponent(found[i + 1] ?? '');
      });
      return { handler: route.handler, params };
    }
    return undefined;
  }
}
