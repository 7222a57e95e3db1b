import type { RepoRecord } from './github-state.ts';
import type { Schema, Site } from './github-types.ts';
import type { TreeEntry } from './repo-tree.ts';

type DirectoryItem = Schema<'content-directory'>[number];

// GitHub leaves `content` empty (encoding "none") for files between 1 MB and 100 MB.
const INLINE_LIMIT = 1024 * 1024;

/** The links every contents object carries; `ref` is the one the request named (default branch otherwise). */
function links(repo: RepoRecord, entry: TreeEntry, ref: string, site: Site) {
  const path = entry.path.split('/').map(encodeURIComponent).join('/');
  const api = `${site.apiUrl}/repos/${repo.fullName}`;
  const kind = entry.type === 'tree' ? 'trees' : 'blobs';
  const self = `${api}/contents/${path}?ref=${encodeURIComponent(ref)}`;
  const html = `${site.webUrl}/${repo.fullName}/${entry.type === 'tree' ? 'tree' : 'blob'}/${ref}/${path}`;
  return {
    url: self,
    git_url: `${api}/git/${kind}/${entry.sha}`,
    html_url: html,
    download_url:
      entry.type === 'blob' ? `${site.webUrl}/${repo.fullName}/raw/${encodeURIComponent(ref)}/${path}` : null,
    _links: { self, git: `${api}/git/${kind}/${entry.sha}`, html },
  };
}

/** A file as `GET /contents/{path}` returns it: base64 content wrapped at 60 columns, as GitHub does. */
export function buildContentFile(
  repo: RepoRecord,
  entry: TreeEntry,
  bytes: Buffer,
  ref: string,
  site: Site,
): Schema<'content-file'> {
  const inline = bytes.length <= INLINE_LIMIT;
  return {
    type: 'file',
    encoding: inline ? 'base64' : 'none',
    size: bytes.length,
    name: entry.path.split('/').pop() ?? entry.path,
    path: entry.path,
    content: inline ? `${(bytes.toString('base64').match(/.{1,60}/g) ?? []).join('\n')}\n` : '',
    sha: entry.sha,
    ...links(repo, entry, ref, site),
  };
}

/** One entry of a directory listing. */
export function buildDirectoryItem(
  repo: RepoRecord,
  entry: TreeEntry,
  ref: string,
  site: Site,
): DirectoryItem {
  const type =
    entry.type === 'tree'
      ? 'dir'
      : entry.type === 'commit'
        ? 'submodule'
        : entry.mode === '120000'
          ? 'symlink'
          : 'file';
  return {
    type,
    size: entry.size,
    name: entry.path.split('/').pop() ?? entry.path,
    path: entry.path,
    sha: entry.sha,
    ...links(repo, entry, ref, site),
  };
}
