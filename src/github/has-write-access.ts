import type { Octokit } from '@octokit/rest';
import type { RepoRef } from './repo-ref.ts';

const WRITE_ROLES = new Set(['admin', 'maintain', 'write']);

/**
 * `login`'s role on the repository (`admin`, `maintain`, `write`, `triage`, `read`, or `none` for someone who is
 * not a collaborator), asked of GitHub: the webhook's `author_association` is never trusted.
 * https://docs.github.com/en/rest/collaborators/collaborators#get-repository-permissions-for-a-user
 */
export async function repoRole(octokit: Octokit, repo: RepoRef, login: string): Promise<string> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: login });
    const role = (data as { role_name?: string }).role_name ?? data.permission;
    // A custom role keeps its own `role_name` while the legacy `permission` says what it amounts to.
    if (!WRITE_ROLES.has(role) && WRITE_ROLES.has(data.permission)) return data.permission;
    return role;
  } catch (error) {
    // GitHub answers 404 for someone who is not a collaborator at all.
    if ((error as { status?: number }).status === 404) return 'none';
    throw error;
  }
}

/** Whether a role from `repoRole` may give commands (the config's `approvers` are checked by the caller). */
export function isWriteRole(role: string): boolean {
  return WRITE_ROLES.has(role);
}

/** Whether `login` has write, maintain or admin on the repository. */
export async function hasWriteAccess(octokit: Octokit, repo: RepoRef, login: string): Promise<boolean> {
  return isWriteRole(await repoRole(octokit, repo, login));
}
