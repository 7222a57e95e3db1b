import type { Octokit } from '@octokit/rest';
import type { RepoRef } from '../github/repo-ref.ts';
import { ConfigError } from '../state/state-error.ts';
import { notAFile, type SettingsSource } from './settings-source.ts';

/**
 * Settings read through `GET /repos/{owner}/{repo}/contents/{path}` of this repository only, at its default
 * branch. The request names no `ref`: GitHub then reads "the repository's default branch"
 * (https://docs.github.com/en/rest/repos/contents#get-repository-content), which no tag or branch of the same
 * name can shadow. `defaultBranch` only labels messages. 404 means no file there.
 */
export function githubSettingsSource(octokit: Octokit, repo: RepoRef, defaultBranch: string): SettingsSource {
  return {
    ref: defaultBranch,
    async read(path) {
      let data: Awaited<ReturnType<Octokit['rest']['repos']['getContent']>>['data'];
      try {
        ({ data } = await octokit.rest.repos.getContent({ ...repo, path }));
      } catch (error) {
        if ((error as { status?: number }).status === 404) return null;
        throw error;
      }
      // A directory answers with an array; a link whose target is not a file, or a submodule, with its own type.
      if (Array.isArray(data)) throw notAFile(path, defaultBranch, 'a directory');
      if (data.type !== 'file') throw notAFile(path, defaultBranch, `a ${data.type}`);
      // Files over 1 MB come with `encoding: "none"` and no content; no settings file is that large.
      if (data.encoding !== 'base64') {
        throw new ConfigError({
          code: 'unreadable',
          file: path,
          expected: 'a file under 1 MB',
          message: `${path} on ${defaultBranch} is larger than 1 MB: shorten it, settings files are small`,
        });
      }
      return Buffer.from(data.content, 'base64').toString('utf8');
    },
  };
}
