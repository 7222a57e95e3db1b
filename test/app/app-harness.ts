import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GatedPhase } from '../../src/core/phases.ts';
import type { SessionStatus } from '../../src/core/session/session-state.ts';
import { type StateTrust, sealMarker } from '../../src/github/marker-trust.ts';
import { parseStatusMarker, type StatusMarker } from '../../src/github/status-marker.ts';
import { DIGEST } from '../state/fixtures.ts';
import { appTrust } from '../support/app-trust.ts';
import { writeExampleSeed } from '../support/example-seed.ts';
import type { RunConclusion, RunRecord } from '../support/github/actions-state.ts';
import { commitFiles } from '../support/github/commit-files.ts';
import type { CommentRecord } from '../support/github/github-state.ts';
import type { RepoRole, Schema } from '../support/github/github-types.ts';
import {
  type Delivery,
  type LocalGitHub,
  startLocalGitHub,
  type WorkflowRun,
} from '../support/github/local-github.ts';
import {
  issueCommentCreated,
  issueCommentEdited,
  workflowRunCompleted,
} from '../support/github/webhook-payloads.ts';
import { type AppInstance, startAppInstance, WEBHOOK_SECRET } from './app-instance.ts';
import { seededMarker, statusBody, withPreviousRun } from './seeded-marker.ts';

export type Issue = Schema<'issue'>;
export type CommentPayload = ReturnType<typeof issueCommentCreated>;

const OWNER = 'octo';
const REPO = 'demo';

/** One person per repository role, a bot with write access, and a config approver who can only read. */
export const USERS = {
  admin: 'ada',
  maintain: 'max',
  write: 'wes',
  triage: 'tia',
  read: 'rob',
  none: 'nia',
  bot: 'renovate[bot]',
  approver: 'apu',
  /** A second writer, for self-approval scenarios. */
  writer2: 'wil',
} as const;

const ROLES: Record<string, RepoRole> = {
  [USERS.admin]: 'admin',
  [USERS.maintain]: 'maintain',
  [USERS.write]: 'write',
  [USERS.triage]: 'triage',
  [USERS.read]: 'read',
  [USERS.none]: 'none',
  [USERS.bot]: 'write',
  [USERS.approver]: 'read',
  [USERS.writer2]: 'write',
};

export interface SayOptions {
  /** The instance that receives the delivery (the first one by default). */
  to?: AppInstance;
  /** `X-GitHub-Delivery`, to simulate a redelivery. */
  id?: string;
}

export interface AppHarness {
  github: LocalGitHub;
  /** The instance started with the harness. */
  app: AppInstance;
  /** The app bot's login, `ipo-app[bot]`. */
  bot: string;
  /** What the app trusts on the demo repository: its bot's comments, sealed with the key derived for it. */
  trust: StateTrust;
  /** Starts another instance against the same GitHub, with fresh process state. */
  startInstance(): Promise<AppInstance>;
  /** The commit a branch points at, or undefined. */
  refSha(ref: string): Promise<string | undefined>;
  /** Every ref under `prefix` (e.g. `refs/ipo/claims/<session>/`). */
  refs(prefix: string): Promise<string[]>;
  openIssue(title?: string): Issue;
  /** Closes the issue on GitHub and returns it as a webhook would then show it. */
  closeIssue(issue: Issue): Issue;
  /**
   * `user` comments `body` on the issue and GitHub delivers `issue_comment.created`; resolves once the app has
   * handled it, with the comment's id. Throws unless the app answered 200.
   */
  say(issue: Issue, user: string, body: string, options?: SayOptions): Promise<Said>;
  /** `user` comments `body` on the issue; nothing is delivered yet. Returns the `issue_comment.created` payload. */
  post(issue: Issue, user: string, body: string): CommentPayload;
  /** Delivers a payload from `post` (again); throws unless the app answered 200. */
  deliver(payload: CommentPayload, options?: SayOptions): Promise<Delivery>;
  /**
   * Completes run `runId` with `conclusion` and delivers `workflow_run.completed`, the run's fields changed by
   * `overrides` (to pose as another workflow's run); throws unless the app answered 200.
   */
  finishRun(
    runId: number,
    conclusion: RunConclusion,
    options?: SayOptions & { overrides?: Partial<WorkflowRun> },
  ): Promise<Delivery>;
  /** Reactions on a comment, e.g. `['rocket']`. */
  reactions(commentId: number): string[];
  /** Runs dispatched for `session`. */
  runsOf(session: string): RunRecord[];
  /** Runs dispatched for any session of the issue. */
  runsOn(issueNumber: number): RunRecord[];
  /** The status of a session whose `gate` is open, approving the artifact `DIGEST` at main's head. */
  awaiting(gate: GatedPhase): Promise<SessionStatus>;
  /** Delivers `issue_comment.edited` for an edit of an existing comment of `user` to `body`. */
  edit(issue: Issue, user: string, from: string, body: string): Promise<Delivery>;
  /**
   * Puts a session into `status` the way jobs leave it: a status comment by the app bot ending with the marker,
   * and the session branch at `head` (main's head by default). Each call gets its own task and session.
   */
  seedSession(issue: Issue, status: SessionStatus, options?: SeedOptions): Promise<StatusMarker>;
  /** Replaces the marker in the session's status comment, as the next job would. */
  advanceMarker(issueNumber: number, marker: StatusMarker): void;
  /** The marker of the app bot's latest status comment on the issue. */
  sticky(issueNumber: number): StatusMarker | null;
  /** Comments on the issue by the app bot that are not status comments: its replies. */
  replies(issueNumber: number): string[];
  comments(issueNumber: number): CommentRecord[];
  /** Writes `.github/ipo.yml` on main (a new commit). */
  setConfig(yaml: string): Promise<void>;
  close(): Promise<void>;
}

export interface Said {
  commentId: number;
  delivery: Delivery;
}

export interface SeedOptions {
  startedBy?: string;
  head?: string;
}

export { type AppInstance, TODAY } from './app-instance.ts';
/**
 * A local GitHub seeded with `examples/demo-repo` (its `.github/ipo.yml`) and the phase caller workflow at
 * `.github/workflows/ipo.yml`, a registered app, and one running app instance.
 */
export { demoConfig } from './seeded-marker.ts';

export async function startAppHarness(
  options: {
    dispatchReturnsRunDetails?: boolean;
    permissions?: Record<string, RepoRole>;
    /** The local GitHub's clock (timestamps, artifact expiry); the real one by default. */
    githubNow?: () => Date;
  } = {},
): Promise<AppHarness> {
  const seed = await mkdtemp(join(tmpdir(), 'ipo-app-seed-'));
  await writeExampleSeed(seed);
  const github = await startLocalGitHub({
    owner: OWNER,
    repo: REPO,
    tokens: [],
    seed,
    permissions: { ...ROLES, ...options.permissions },
    ...(options.githubNow ? { now: options.githubNow } : {}),
    app: { id: 4711 },
    webhookSecret: WEBHOOK_SECRET,
    ...(options.dispatchReturnsRunDetails === undefined
      ? {}
      : { dispatchReturnsRunDetails: options.dispatchReturnsRunDetails }),
  });
  const registered = github.app;
  if (!registered) throw new Error('the local GitHub did not register the app');
  const bot = registered.botLogin;
  const trust = appTrust(github, WEBHOOK_SECRET, `${OWNER}/${REPO}`);
  const instances: AppInstance[] = [];
  const startInstance = async () => {
    const instance = await startAppInstance(github);
    instances.push(instance);
    return instance;
  };
  const app = await startInstance();
  const repoRecord = () => {
    const record = github.state.repo(OWNER, REPO);
    if (!record) throw new Error('the demo repository is missing');
    return record;
  };
  const refSha = async (ref: string) => (await repoRecord().git.ref(ref))?.sha;
  const comments = (issueNumber: number) => github.state.commentsOn(repoRecord(), issueNumber);
  const botStatus = (issueNumber: number) =>
    comments(issueNumber).filter((c) => c.user === bot && parseStatusMarker(c.body) !== null);
  let tasks = 0;
  const post = (issue: Issue, user: string, body: string): CommentPayload =>
    issueCommentCreated(github, { issue, comment: github.createComment(issue.number, { body, user }) });
  const send = async (event: string, payload: unknown, sayOptions: SayOptions, what: string) => {
    const delivery = await github.deliver(
      (sayOptions.to ?? app).url,
      event,
      payload,
      sayOptions.id === undefined ? {} : { id: sayOptions.id },
    );
    if (delivery.status !== 200)
      throw new Error(`the app answered ${delivery.status} to ${what}: ${delivery.body}`);
    return delivery;
  };
  const deliver = (payload: CommentPayload, sayOptions: SayOptions = {}) =>
    send('issue_comment', payload, sayOptions, `"${payload.comment.body}" by ${payload.comment.user?.login}`);

  return {
    github,
    app,
    bot,
    trust,
    startInstance,
    refSha,
    refs: async (prefix) =>
      (await repoRecord().git.refs()).map((entry) => entry.ref).filter((ref) => ref.startsWith(prefix)),
    openIssue: (title = 'Task') => github.createIssue({ title, user: USERS.admin }),
    closeIssue: (issue) => {
      const record = github.state.issue(repoRecord(), issue.number);
      if (!record) throw new Error(`no issue #${issue.number}`);
      record.state = 'closed';
      record.closedAt = github.state.timestamp();
      return { ...issue, state: 'closed', closed_at: record.closedAt };
    },
    say: async (issue, user, body, sayOptions = {}) => {
      const payload = post(issue, user, body);
      return { commentId: payload.comment.id, delivery: await deliver(payload, sayOptions) };
    },
    post,
    deliver,
    finishRun: (runId, conclusion, runOptions = {}) => {
      const run = github.updateRun(runId, { status: 'completed', conclusion });
      const payload = workflowRunCompleted(github, { run: { ...run, ...runOptions.overrides } });
      return send('workflow_run', payload, runOptions, `run ${runId} (${conclusion})`);
    },
    reactions: (commentId) =>
      github.state.comments.find((c) => c.id === commentId)?.reactions.map((r) => r.content) ?? [],
    runsOf: (session) => github.actions.runs.filter((run) => run.inputs.session === session),
    runsOn: (issueNumber) =>
      github.actions.runs.filter((run) => run.inputs['issue-number'] === String(issueNumber)),
    awaiting: async (gate) => ({
      kind: 'awaiting',
      gate,
      approves: { digest: DIGEST, head: (await refSha('refs/heads/main')) ?? '' },
    }),
    edit: async (issue, user, from, body) => {
      const comment = github.createComment(issue.number, { body, user });
      const payload = issueCommentEdited(github, { issue, comment, from });
      return github.deliver(app.url, 'issue_comment', payload);
    },
    seedSession: async (issue, status, seedOptions = {}) => {
      tasks += 1;
      const head = seedOptions.head ?? (await refSha('refs/heads/main'));
      if (!head) throw new Error('main has no head');
      const marker = await withPreviousRun(
        github,
        repoRecord(),
        seededMarker(`9.${tasks}`, status, {
          issueNumber: issue.number,
          head,
          startedBy: seedOptions.startedBy ?? USERS.admin,
        }),
      );
      if (!(await repoRecord().git.createRef(`refs/heads/${marker.branch}`, head))) {
        throw new Error(`branch ${marker.branch} exists already`);
      }
      github.createComment(issue.number, { body: statusBody(marker, trust.key), user: bot });
      return sealMarker(marker, trust.key);
    },
    advanceMarker: (issueNumber, marker) => {
      const comment = botStatus(issueNumber).find(
        (c) => parseStatusMarker(c.body)?.session === marker.session,
      );
      if (!comment) throw new Error(`no status comment of ${marker.session} on #${issueNumber}`);
      comment.body = statusBody(marker, trust.key);
    },
    sticky: (issueNumber) => {
      const last = botStatus(issueNumber).at(-1);
      return last ? parseStatusMarker(last.body) : null;
    },
    replies: (issueNumber) =>
      comments(issueNumber)
        .filter((c) => c.user === bot && parseStatusMarker(c.body) === null)
        .map((c) => c.body),
    comments,
    setConfig: async (yaml) => {
      await commitFiles(github.gitDir(), 'main', { '.github/ipo.yml': yaml }, { message: 'Configure ipo' });
    },
    close: async () => {
      await Promise.all(instances.map((instance) => instance.close()));
      await github.close();
      await rm(seed, { recursive: true, force: true });
    },
  };
}
