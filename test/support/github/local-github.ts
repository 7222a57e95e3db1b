import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ActionsHarness, registerActions } from './actions-harness.ts';
import { BareRepo } from './bare-repo.ts';
import { buildComment, buildIssue } from './build-issue.ts';
import { buildRepository, type RepositoryObject } from './build-repository.ts';
import { type DeliverOptions, type Delivery, deliverWebhook } from './deliver-webhook.ts';
import { FaultInjector, type FaultSpec } from './fault-injector.ts';
import { GitHubState, type RepoRecord } from './github-state.ts';
import type { RepoRole, Schema, Site } from './github-types.ts';
import { handleRequest } from './handle-request.ts';
import { createLocalApp, type LocalApp, type LocalAppOptions } from './local-app.ts';
import { type RecordedRequest, sendReply } from './recorded-request.ts';
import { type Handler, Router } from './router.ts';
import { registerAppRoutes } from './routes/app-routes.ts';
import { registerContentsRoutes } from './routes/contents-routes.ts';
import { registerGitObjectRoutes } from './routes/git-object-routes.ts';
import { registerIssueRoutes } from './routes/issue-routes.ts';
import { registerPullRoutes } from './routes/pull-routes.ts';
import { registerRefRoutes } from './routes/ref-routes.ts';
import { registerRepoRoutes } from './routes/repo-routes.ts';
import { installWorkflowPushHook } from './workflow-push-hook.ts';

export type { ActionsHarness } from './actions-harness.ts';
export type { RunConclusion, RunStatus } from './actions-state.ts';
export type { WorkflowRun } from './build-workflow-run.ts';
export type { DeliverOptions, Delivery } from './deliver-webhook.ts';
export type { FaultSpec } from './fault-injector.ts';
export type { LocalApp, LocalAppOptions } from './local-app.ts';
export type { RecordedRequest } from './recorded-request.ts';
export type { DispatchHook } from './routes/actions-deps.ts';

export interface LocalGitHubOptions {
  owner: string;
  repo: string;
  /** Accepted tokens: a list (each acts as `actor`) or a map from token to the login it acts as. */
  tokens: readonly string[] | Readonly<Record<string, string>>;
  /** Roles reported by the permission endpoint; a login not listed answers 404 like an unknown user. */
  permissions?: Readonly<Record<string, RepoRole>>;
  /** A directory whose files (minus .gitignore'd ones) become the initial commit on `main`. */
  seed?: string;
  /** Tokens that may only read: every write (REST, GraphQL, git push) answers 403, as for a read-only GITHUB_TOKEN. */
  readOnlyTokens?: readonly string[];
  /**
   * Tokens without the `workflows` permission (a job's GITHUB_TOKEN, or an app installed without "Workflows: write"):
   * a push of theirs that creates or updates `.github/workflows/*` is refused as GitHub refuses it.
   */
  tokensWithoutWorkflows?: readonly string[];
  /** Login for tokens given as a list; `github-actions[bot]` by default. */
  actor?: string;
  now?: () => Date;
  /** Registers a GitHub App: `/app` endpoints take its JWT and mint installation tokens acting as its bot. */
  app?: LocalAppOptions;
  /** Signs deliveries (`X-Hub-Signature-256`); unsigned when omitted, as GitHub does without a secret. */
  webhookSecret?: string;
  /** false: dispatches answer 204 even with `return_run_details: true` (GitHub before 2025, GHES). */
  dispatchReturnsRunDetails?: boolean;
  /** The repository's artifact retention in days (90 by default, as on GitHub). */
  artifactRetentionDays?: number;
  /** At most this many `inputs` per dispatch; 10 by default (GitHub's limit before it became 25). */
  maxDispatchInputs?: number;
}

export interface LocalGitHub extends ActionsHarness {
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
  /** Adds a REST route (API-relative pattern, `:param` / `*rest`); it takes precedence over built-in ones. */
  route(method: string, pattern: string, handler: Handler): void;
  /** The registered app (key, id, installation), when started with `app`. */
  app: LocalApp | undefined;
  /** The REST repository object (the main repository by default). */
  repository(owner?: string, repo?: string): RepositoryObject;
  /** Delivers a webhook to `url`, signed with `webhookSecret`; resolves with the receiver's answer. */
  deliver(url: string, event: string, payload: unknown, options?: DeliverOptions): Promise<Delivery>;
  close(): Promise<void>;
}

/**
 * Starts a local GitHub on 127.0.0.1 and a random port: a REST subset (issues, pulls, refs, contents, Actions
 * dispatch/runs/artifacts, GitHub App auth), one GraphQL mutation, git smart HTTP, and webhook delivery.
 */
export async function startLocalGitHub(options: LocalGitHubOptions): Promise<LocalGitHub> {
  const app = options.app ? await createLocalApp(options.app) : undefined;
  const root = await mkdtemp(join(tmpdir(), 'local-github-'));
  const state = new GitHubState(options.now);
  const tokens: Record<string, string> = Array.isArray(options.tokens)
    ? Object.fromEntries(options.tokens.map((t) => [t, options.actor ?? 'github-actions[bot]']))
    : { ...(options.tokens as Record<string, string>) };
  const requests: RecordedRequest[] = [];
  const faults = new FaultInjector();
  const router = new Router();
  const webRouter = new Router();
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

  const readOnlyTokens = new Set(options.readOnlyTokens ?? []);
  const withoutWorkflows = {
    tokens: new Set(options.tokensWithoutWorkflows ?? []),
    hooksDir: await installWorkflowPushHook(root),
  };
  const server = createServer((req, res) => {
    handleRequest(req, res, {
      root,
      site,
      state,
      router,
      webRouter,
      faults,
      tokens,
      readOnlyTokens,
      withoutWorkflows,
      requests,
      app,
      mainRepo,
    }).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (res.headersSent) res.destroy();
      else sendReply(res, { status: 500, body: { message: `local GitHub: internal error: ${message}` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  site.webUrl = `http://127.0.0.1:${port}`;
  site.apiUrl = `${site.webUrl}/api/v3`;
  const deps = { state, site, permissions: options.permissions ?? {} };
  for (const register of [
    registerRepoRoutes,
    registerIssueRoutes,
    registerPullRoutes,
    registerRefRoutes,
    registerGitObjectRoutes,
  ]) {
    register(router, deps);
  }
  const repository = (owner = options.owner, name = options.repo) => {
    const repo = state.repo(owner, name);
    if (!repo) throw new Error(`local GitHub: no repository ${owner}/${name}`);
    const open = state.issues.filter((i) => i.repo === repo.fullName && i.state === 'open').length;
    return buildRepository(repo, site, open);
  };
  registerContentsRoutes(router, webRouter, deps);
  const harness = registerActions(router, webRouter, deps, {
    returnsRunDetails: options.dispatchReturnsRunDetails ?? true,
    maxInputs: options.maxDispatchInputs ?? 10,
    artifactRetentionDays: options.artifactRetentionDays ?? 90,
    repository,
  });
  if (app) registerAppRoutes(router, deps, app, tokens, options.owner);

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
    route: (method, pattern, handler) => router.add(method, pattern, handler, { first: true }),
    app,
    repository,
    ...harness,
    deliver: (url, event, payload, deliverOptions = {}) =>
      deliverWebhook(url, event, payload, {
        ...(options.webhookSecret === undefined ? {} : { secret: options.webhookSecret }),
        ...deliverOptions,
        ...(app ? { appId: app.id } : {}),
      }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      for (const repo of state.repos.values()) repo.git.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
