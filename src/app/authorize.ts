import type { Octokit } from '@octokit/rest';
import type { RepoRef } from '../github/repo-ref.ts';

const WRITE_ROLES = new Set(['admin', 'maintain', 'write']);

/**
 * Whether `login` has write, maintain or admin on the repository, asked of GitHub (the webhook's
 * `author_association` is never trusted). The config's `approvers` are checked by the caller, which reads the
 * config at the same time as this.
 */
export async function hasWriteAccess(octokit: Octokit, repo: RepoRef, login: string): Promise<boolean> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: login });
    const role = (data as { role_name?: string }).role_name ?? data.permission;
    return WRITE_ROLES.has(role) || WRITE_ROLES.has(data.permission);
  } catch (error) {
    // GitHub answers 404 for someone who is not a collaborator at all.
    if ((error as { status?: number }).status === 404) return false;
    throw error;
  }
}
