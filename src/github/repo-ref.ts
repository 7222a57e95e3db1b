/** The repository an Octokit call addresses (spread into every `octokit.rest.*` parameter object). */
export interface RepoRef {
  owner: string;
  repo: string;
}
