import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BareRepo } from './bare-repo.ts';
import { buildComment, buildIssue } from './build-issue.ts';
import { FaultInjector, type FaultSpec } from './fault-injector.ts';
import { GitHubState, type RepoRecord } from './github-state.ts';
import type { RepoRole, Schema, Site } from './github-types.ts';
import { handleRequest } from './handle-request.ts';
import { type RecordedRequest, sendReply } from './recorded-request.ts';
import { type Handler, Router } from './router.ts';
import { registerIssueRoutes } from './routes/issue-routes.ts';
import { registerPullRoutes } from './routes/pull-routes.ts';
import { registerRefRoutes } from './routes/ref-routes.ts';
import { registerRepoRoutes } from './routes/repo-routes.ts';

export type { FaultSpec } from './fault-injector.ts';
export type { RecordedRequest } from './recorded-request.ts';

export interface LocalGitHubOptions {
  owner: string;
  repo: string;
  /** Accepted tokens: a list (each acts as `actor`) or a map from token to the login it acts as. */
  tokens: readonly string[] | Readonly<Record<string, string>>;
  /** Roles reported by the permission endpoint; a login not listed answers 404 like an unknown user. */
  permissions?: Readonly<Record<string, RepoRole>>;
  /** A directory whose files (minus .gitignore'd ones) become the initial commit on `main`. */
  seed?: string;
  /** Login for tokens given as a list; `github-actions[bot]` by default. */
  actor?: string;
  now?: () => Date;
}

export interface LocalGitHub {
  /** `http://127.0.0.1:<port>/api/v3`: Octokit's `baseUrl`. */
  apiUrl: string;
  /** `http://127.0.0.1:<port>/api/graphql`, where Octokit sends GraphQL for that `baseUrl`. */
  graphqlUrl: string;
  webUrl: string;
  /** The clone URL: `http://127.0.0.1:<port>/<owner>/<repo>.git` (the main repository by default). */
  gitUrl(owner?: string, repo?: string): string;
  /** The bare repository on disk, to inspect with git directly. */
  gitDir(owner?: string, repo?: string): string;
  state: GitHubState;
  requests: RecordedRequest[];
  failNext(fault: FaultSpec): void;
  /** Injected faults that no request has hit yet. */
  pendingFaults(): number;
  /** Opens an issue directly (no request recorded), by `user` (the repo owner by default). */
  createIssue(fields: { title: string; body?: string; user?: string; labels?: string[] }): Schema<'issue'>;
  /** Adds a comment directly, e.g. a person's command that a test then delivers as a webhook. */
  createComment(
    issueNumber: number,
    fields: { body: string; user: string },
  ): Schema<'issue-comment'> & { id: number };
  /** Adds another repository (with its own bare repo). */
  createRepo(owner: string, repo: string, seed?: string): Promise<void>;
  /** Adds a REST route (API-relative pattern, `:param` / `*rest`), for endpoints a later harness needs. */
  route(method: string, pattern: string, handler: Handler): void;
  close(): Promise<void>;
}

/** Starts a local GitHub (REST subset, one GraphQL mutation, git smart HTTP) on 127.0.0.1 and a random port. */
export async function startLocalGitHub(options: LocalGitHubOptions): Promise<LocalGitHub> {
  const root = await mkdtemp(join(tmpdir(), 'local-github-'));
  const state = new GitHubState(options.now);
  const tokens: Record<string, string> = Array.isArray(options.tokens)
    ? Object.fromEntries(options.tokens.map((t) => [t, options.actor ?? 'github-actions[bot]']))
    : { ...(options.tokens as Record<string, string>) };
  const requests: RecordedRequest[] = [];
  const faults = new FaultInjector();
  const router = new Router();
  const site: Site = { apiUrl: '', webUrl: '' };

  async function createRepo(owner: string, repo: string, seed?: string): Promise<void> {
    await mkdir(join(root, owner), { recursive: true });
    const git = await BareRepo.create(join(root, owner, `${repo}.git`), { seed, readme: `# ${repo}\n` });
    state.addRepo(owner, repo, git);
  }
  const mainRepo = (): RepoRecord => {
    const repo = state.repo(options.owner, options.repo);
    if (!repo) throw new Error('local GitHub: the main repository is missing');
    return repo;
  };
  try {
    await createRepo(options.owner, options.repo, options.seed);
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }

  const server = createServer((req, res) => {
    handleRequest(req, res, { root, site, state, router, faults, tokens, requests, mainRepo }).catch(
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        if (res.headersSent) res.destroy();
        else sendReply(res, { status: 500, body: { message: `local GitHub: internal error: ${message}` } });
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  site.webUrl = `http://127.0.0.1:${port}`;
  site.apiUrl = `${site.webUrl}/api/v3`;
  const deps = { state, site, permissions: options.permissions ?? {} };
  for (const register of [registerRepoRoutes, registerIssueRoutes, registerPullRoutes, registerRefRoutes]) {
    register(router, deps);
  }

  return {
    apiUrl: site.apiUrl,
    graphqlUrl: `${site.webUrl}/api/graphql`,
    webUrl: site.webUrl,
    gitUrl: (owner = options.owner, repo = options.repo) => `${site.webUrl}/${owner}/${repo}.git`,
    gitDir: (owner = options.owner, repo = options.repo) => join(root, owner, `${repo}.git`),
    state,
    requests,
    failNext: (fault) => faults.add(fault),
    pendingFaults: () => faults.remaining(),
    createIssue: (fields) => {
      const repo = mainRepo();
      const issue = state.addIssue(repo, { ...fields, user: fields.user ?? repo.owner });
      return buildIssue(repo, issue, 0, site);
    },
    createComment: (issueNumber, fields) => {
      const repo = mainRepo();
      const issue = state.issue(repo, issueNumber);
      if (!issue) throw new Error(`local GitHub: no issue #${issueNumber} in ${repo.fullName}`);
      return buildComment(repo, state.addComment(repo, issue, fields), site);
    },
    createRepo,
    route: (method, pattern, handler) => router.add(method, pattern, handler),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      await rm(root, { recursive: true, force: true });
    },
  };
}
