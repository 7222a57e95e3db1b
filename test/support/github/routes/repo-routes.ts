import { buildBranch } from '../build-git.ts';
import { buildRepository } from '../build-repository.ts';
import { buildCollaborator } from '../build-user.ts';
import type { Schema } from '../github-types.ts';
import { HttpError } from '../reply.ts';
import type { Router } from '../router.ts';
import type { RouteDeps } from './route-deps.ts';

// GitHub's legacy `permission` folds maintain into write and triage into read; `role_name` keeps the role.
const LEGACY = {
  admin: 'admin',
  maintain: 'write',
  write: 'write',
  triage: 'read',
  read: 'read',
  none: 'none',
};

/** `GET /repos/{o}/{r}`, collaborator permission, and branches. */
export function registerRepoRoutes(router: Router, { state, site, permissions }: RouteDeps): void {
  router.add('GET', '/repos/:owner/:repo', ({ repo }) => {
    const open = state.issues.filter((i) => i.repo === repo.fullName && i.state === 'open').length;
    return { status: 200, body: buildRepository(repo, site, open) };
  });

  router.add('GET', '/repos/:owner/:repo/collaborators/:user/permission', ({ params }) => {
    const login = params.user ?? '';
    const known = Object.keys(permissions).find((name) => name.toLowerCase() === login.toLowerCase());
    const role = known === undefined ? undefined : permissions[known];
    if (known === undefined || role === undefined) throw new HttpError(404, `${login} is not a user`);
    const body: Schema<'repository-collaborator-permission'> = {
      permission: LEGACY[role],
      role_name: role,
      user: buildCollaborator(known, role, site),
    };
    return { status: 200, body };
  });

  router.add('GET', '/repos/:owner/:repo/branches/*branch', async ({ repo, params }) => {
    const name = params.branch ?? '';
    const entry = await repo.git.ref(`refs/heads/${name}`);
    if (!entry) throw new HttpError(404, 'Branch not found');
    return { status: 200, body: buildBranch(repo, name, await repo.git.commit(entry.sha), site) };
  });
}
