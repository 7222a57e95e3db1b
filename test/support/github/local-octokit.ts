import { Octokit } from '@octokit/rest';
import type { LocalGitHub } from './local-github.ts';

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** A real `@octokit/rest` client for the local GitHub; quiet, because tests expect many error answers. */
export function localOctokit(github: LocalGitHub, token: string | undefined): Octokit {
  return new Octokit({
    baseUrl: github.apiUrl,
    ...(token === undefined ? {} : { auth: token }),
    log: silent,
  });
}
