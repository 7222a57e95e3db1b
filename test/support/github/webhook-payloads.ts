import type { Context } from 'probot';
import type { RepositoryObject } from './build-repository.ts';
import { buildUser, userId } from './build-user.ts';
import type { WorkflowRun } from './build-workflow-run.ts';
import type { Schema, Site } from './github-types.ts';
import { EXAMPLES } from './webhook-examples.ts';

/** What the builders need from the local GitHub (a `LocalGitHub` fits). */
export interface PayloadSource extends Site {
  repository(owner?: string, repo?: string): RepositoryObject;
  app: { installationId: number } | undefined;
}

/** A comment: the object `createComment` returns, or just its id, body and author. */
export type CommentFields = Omit<Partial<Schema<'issue-comment'>>, 'id' | 'user'> & {
  id: number;
  body?: string;
  user: { login: string; type?: string } | null;
};

interface CommentEvent {
  issue: Schema<'issue'>;
  comment: CommentFields;
  /** The app's installation by default. */
  installationId?: number;
}

type CommentCreated = Context<'issue_comment.created'>['payload'];
type CommentEdited = Context<'issue_comment.edited'>['payload'];
type RunCompleted = Context<'workflow_run.completed'>['payload'];

/** `issue_comment.created`: the real example with the local repository, issue, comment, sender and installation. */
export function issueCommentCreated(github: PayloadSource, event: CommentEvent): CommentCreated {
  const example = EXAMPLES.issueCommentCreated();
  return commentPayload(github, example, event) as unknown as CommentCreated;
}

/** `issue_comment.edited`, with `changes.body.from` the text before the edit. */
export function issueCommentEdited(
  github: PayloadSource,
  event: CommentEvent & { from: string },
): CommentEdited {
  const example = EXAMPLES.issueCommentEdited();
  const payload = commentPayload(github, example, event);
  return { ...payload, changes: { body: { from: event.from } } } as unknown as CommentEdited;
}

/** `workflow_run.completed` for a local run (as `updateRun` returns it), with `conclusion` unless it has one. */
export function workflowRunCompleted(
  github: PayloadSource,
  event: { run: WorkflowRun; conclusion?: string; installationId?: number },
): RunCompleted {
  const example = EXAMPLES.workflowRunCompleted();
  const { run } = event;
  const conclusion = event.conclusion ?? run.conclusion;
  if (!conclusion) throw new Error(`workflowRunCompleted: run ${run.id} has no conclusion; pass one`);
  const [owner = '', name = ''] = run.repository.full_name.split('/');
  const repository = webhookRepository(github, example.repository, owner, name);
  const html = `${github.webUrl}/${repository.full_name}`;
  return {
    ...example,
    action: 'completed',
    workflow_run: { ...(example.workflow_run as object), ...run, status: 'completed', conclusion },
    workflow: {
      ...(example.workflow as object),
      id: run.workflow_id,
      node_id: `W_local${run.workflow_id}`,
      name: run.name,
      path: run.path,
      state: 'active',
      url: run.workflow_url,
      html_url: `${html}/blob/${repository.default_branch}/${run.path}`,
      badge_url: `${html}/workflows/${encodeURIComponent(run.name ?? '')}/badge.svg`,
      created_at: run.created_at,
      updated_at: run.updated_at,
    },
    repository,
    organization: organization(github, example.organization, owner),
    sender: run.triggering_actor ?? run.actor ?? buildUser(owner, github),
    installation: installation(github, example, event.installationId),
  } as unknown as RunCompleted;
}

function commentPayload(github: PayloadSource, example: Record<string, unknown>, event: CommentEvent) {
  const [owner = '', name = ''] = event.issue.repository_url.split('/').slice(-2);
  const repository = webhookRepository(github, example.repository, owner, name);
  if (!event.comment.user) throw new Error(`webhook payload: comment ${event.comment.id} has no author`);
  const user = { ...buildUser(event.comment.user.login, github), ...event.comment.user };
  const api = `${repository.url}/issues/comments/${event.comment.id}`;
  const at = event.comment.created_at ?? event.issue.updated_at;
  const comment = {
    ...(example.comment as object),
    url: api,
    html_url: `${event.issue.html_url}#issuecomment-${event.comment.id}`,
    issue_url: event.issue.url,
    node_id: `IC_local${event.comment.id}`,
    created_at: at,
    updated_at: at,
    author_association: 'NONE',
    performed_via_github_app: null,
    reactions: emptyReactions(`${api}/reactions`),
    ...event.comment,
    user,
  };
  return {
    ...example,
    issue: {
      ...(example.issue as object),
      active_lock_reason: null,
      reactions: emptyReactions(`${event.issue.url}/reactions`),
      ...event.issue,
    },
    comment,
    repository,
    ...('organization' in example ? { organization: organization(github, example.organization, owner) } : {}),
    sender: user,
    installation: installation(github, example, event.installationId),
  };
}

// A webhook's repository has a few keys the REST object lacks (`topics`, `is_template`, …): the example's stay.
function webhookRepository(github: PayloadSource, example: unknown, owner: string, name: string) {
  return { ...(example as object), ...github.repository(owner, name) };
}

// The repository owner stands in for the examples' organization, so the key (and its shape) stays.
function organization(site: Site, example: unknown, login: string) {
  const api = `${site.apiUrl}/orgs/${login}`;
  return {
    ...(example as object),
    login,
    id: userId(login),
    node_id: `O_local${userId(login)}`,
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: `${site.webUrl}/avatars/u/${userId(login)}`,
    description: '',
  };
}

function installation(github: PayloadSource, example: Record<string, unknown>, id?: number) {
  const installationId = id ?? github.app?.installationId;
  if (installationId === undefined) {
    throw new Error('webhook payload: pass installationId, or start the local GitHub with an app');
  }
  return {
    ...(example.installation as object),
    id: installationId,
    node_id: `MDIzOkludGVncmF0aW9u${installationId}`,
  };
}

function emptyReactions(url: string): Schema<'reaction-rollup'> {
  return {
    url,
    total_count: 0,
    '+1': 0,
    '-1': 0,
    laugh: 0,
    confused: 0,
    heart: 0,
    hooray: 0,
    eyes: 0,
    rocket: 0,
  };
}
