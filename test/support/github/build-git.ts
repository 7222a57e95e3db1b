import type { CommitInfo, RefEntry } from './bare-repo.ts';
import type { RepoRecord } from './github-state.ts';
import type { Schema, Site } from './github-types.ts';

/** A `git-ref` as the refs endpoints return it (`ref` is the full name, `refs/heads/main`). */
export function buildRef(repo: RepoRecord, entry: RefEntry, site: Site): Schema<'git-ref'> {
  const api = `${site.apiUrl}/repos/${repo.fullName}/git`;
  const kind = entry.type === 'tag' ? 'tags' : entry.type === 'commit' ? 'commits' : `${entry.type}s`;
  return {
    ref: entry.ref,
    node_id: `REF_local${Buffer.from(entry.ref).toString('base64url')}`,
    url: `${api}/${entry.ref}`,
    object: { type: entry.type, sha: entry.sha, url: `${api}/${kind}/${entry.sha}` },
  };
}

/** A `commit` with the author and message read from the bare repository. */
export function buildCommit(repo: RepoRecord, commit: CommitInfo, site: Site): Schema<'commit'> {
  const api = `${site.apiUrl}/repos/${repo.fullName}`;
  const html = `${site.webUrl}/${repo.fullName}/commit/${commit.sha}`;
  return {
    url: `${api}/commits/${commit.sha}`,
    sha: commit.sha,
    node_id: `C_local${commit.sha}`,
    html_url: html,
    comments_url: `${api}/commits/${commit.sha}/comments`,
    commit: {
      url: `${api}/git/commits/${commit.sha}`,
      author: commit.author,
      committer: commit.committer,
      message: commit.message,
      comment_count: 0,
      tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
    },
    author: null,
    committer: null,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${api}/commits/${sha}`,
      html_url: `${site.webUrl}/${repo.fullName}/commit/${sha}`,
    })),
  };
}

/** A branch without protection rules. */
export function buildBranch(
  repo: RepoRecord,
  name: string,
  commit: CommitInfo,
  site: Site,
): Schema<'branch-with-protection'> {
  const api = `${site.apiUrl}/repos/${repo.fullName}/branches/${encodeURIComponent(name)}`;
  return {
    name,
    commit: buildCommit(repo, commit, site),
    _links: { self: api, html: `${site.webUrl}/${repo.fullName}/tree/${name}` },
    protected: repo.protectedBranches?.has(name) ?? false,
    protection: {
      enabled: repo.protectedBranches?.has(name) ?? false,
      required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] },
    },
    protection_url: `${api}/protection`,
  };
}
