import type { components } from '@octokit/openapi-types';

/** A response object exactly as GitHub's OpenAPI description types it, so the compiler checks our shapes. */
export type Schema<K extends keyof components['schemas']> = components['schemas'][K];

/** Where the local GitHub lives: every URL in a response is built from these. */
export interface Site {
  /** `http://127.0.0.1:<port>/api/v3`, the GHES layout, so Octokit's GraphQL goes to `/api/graphql`. */
  apiUrl: string;
  /** `http://127.0.0.1:<port>`: html_url pages and git remotes live here. */
  webUrl: string;
}

/** A repository role, as configured per login and as GitHub reports it in `role_name`. */
export type RepoRole = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';
