import { createHash } from 'node:crypto';
import type { ArtifactRecord, RunRecord, WorkflowRecord } from './actions-state.ts';
import type { RepositoryObject } from './build-repository.ts';
import { buildUser } from './build-user.ts';
import type { RepoRecord } from './github-state.ts';
import type { Schema, Site } from './github-types.ts';

/** A `workflow-run` (`id` narrowed to number: Octokit's parameters take numbers). */
export type WorkflowRun = Schema<'workflow-run'> & { id: number };

/** A run as the REST API and the `workflow_run` webhook describe it; `repository` is the repo's REST object. */
export function buildWorkflowRun(
  repo: RepoRecord,
  run: RunRecord,
  repository: RepositoryObject,
  site: Site,
): WorkflowRun {
  const api = `${site.apiUrl}/repos/${repo.fullName}`;
  const url = `${api}/actions/runs/${run.id}`;
  const checkSuite = run.id + 500_000;
  const commit = run.headCommit;
  // `license` is null locally; its full-repository type does not fit minimal-repository's, so restate it.
  const minimal: Schema<'minimal-repository'> = { ...repository, license: null };
  return {
    id: run.id,
    name: run.name,
    node_id: `WFR_local${run.id}`,
    check_suite_id: checkSuite,
    check_suite_node_id: `CS_local${checkSuite}`,
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: run.path,
    run_number: run.runNumber,
    run_attempt: 1,
    referenced_workflows: [],
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: run.workflowId,
    url,
    html_url: `${site.webUrl}/${repo.fullName}/actions/runs/${run.id}`,
    pull_requests: [],
    created_at: run.createdAt,
    updated_at: run.updatedAt,
    actor: buildUser(run.actor, site),
    triggering_actor: buildUser(run.actor, site),
    run_started_at: run.runStartedAt,
    jobs_url: `${url}/jobs`,
    logs_url: `${url}/logs`,
    check_suite_url: `${api}/check-suites/${checkSuite}`,
    artifacts_url: `${url}/artifacts`,
    cancel_url: `${url}/cancel`,
    rerun_url: `${url}/rerun`,
    previous_attempt_url: null,
    workflow_url: `${api}/actions/workflows/${run.workflowId}`,
    head_commit: {
      id: commit.sha,
      tree_id: commit.tree,
      message: commit.message,
      timestamp: commit.committer.date,
      author: { name: commit.author.name, email: commit.author.email },
      committer: { name: commit.committer.name, email: commit.committer.email },
    },
    repository: minimal,
    head_repository: minimal,
    head_repository_id: repo.id,
    display_title: run.displayTitle,
  };
}

/** A workflow as `GET /actions/workflows/{id}` returns it. */
export function buildWorkflow(repo: RepoRecord, workflow: WorkflowRecord, site: Site): Schema<'workflow'> {
  const html = `${site.webUrl}/${repo.fullName}`;
  return {
    id: workflow.id,
    node_id: `W_local${workflow.id}`,
    name: workflow.name,
    path: workflow.path,
    state: 'active',
    created_at: workflow.createdAt,
    updated_at: workflow.createdAt,
    url: `${site.apiUrl}/repos/${repo.fullName}/actions/workflows/${workflow.id}`,
    html_url: `${html}/blob/${repo.defaultBranch}/${workflow.path}`,
    badge_url: `${html}/workflows/${encodeURIComponent(workflow.name)}/badge.svg`,
  };
}

/** An artifact; `archive_download_url` answers with a redirect to the zip, as on GitHub. */
export function buildArtifact(
  repo: RepoRecord,
  artifact: ArtifactRecord,
  run: RunRecord,
  site: Site,
  now: Date,
) {
  const url = `${site.apiUrl}/repos/${repo.fullName}/actions/artifacts/${artifact.id}`;
  const body: Schema<'artifact'> = {
    id: artifact.id,
    node_id: `MDg6QXJ0aWZhY3Q${artifact.id}`,
    name: artifact.name,
    size_in_bytes: artifact.zip.length,
    url,
    archive_download_url: `${url}/zip`,
    expired: artifactExpired(artifact, now),
    created_at: artifact.createdAt,
    expires_at: artifact.expiresAt,
    updated_at: artifact.createdAt,
    digest: `sha256:${createHash('sha256').update(artifact.zip).digest('hex')}`,
    workflow_run: {
      id: run.id,
      repository_id: repo.id,
      head_repository_id: repo.id,
      ...(run.headBranch === null ? {} : { head_branch: run.headBranch }),
      head_sha: run.headSha,
    },
  };
  return body;
}

/** Past its `expires_at`: listed with `expired: true`, its zip answered 410 (see artifact-routes.ts). */
export function artifactExpired(artifact: Pick<ArtifactRecord, 'expiresAt'>, now: Date): boolean {
  return now.getTime() >= Date.parse(artifact.expiresAt);
}
