import type { Octokit } from '@octokit/rest';

export type RepoRef = { owner: string; repo: string };

const WRITE_ROLES = new Set(['admin', 'maintain', 'write']);

/**
 * Whether `login` may command sessions: write, maintain or admin on the repository (asked of GitHub; the webhook's
 * `author_association` is never trusted), or listed in the config's `approvers`.
 */
export async function isAuthorized(
  octokit: Octokit,
  repo: RepoRef,
  login: string,
  approvers: readonly string[],
): Promise<boolean> {
  if (approvers.some((a) => a.toLowerCase() === login.toLowerCase())) return true;
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
