import type { Octokit } from '@octokit/rest';
import type { Context } from 'probot';
import { githubSettingsSource } from '../settings/github-settings-source.ts';
import { loadConfig } from '../settings/load-settings.ts';
import type { Config } from '../state/config.ts';
import { StateError } from '../state/state-error.ts';

/**
 * `.github/ipo.yml` of this repository's default branch through the one settings loader (the job and the CLI use it
 * too), never Probot's `context.config`: that follows `_extends` into other repositories and falls back to the
 * owner's `.github` repository, which no job reads. A malformed file is a reply; GitHub failing is thrown, so the
 * handler puts back what it changed and says to comment again.
 */
export async function loadRepoConfig(
  context: Context<'issue_comment.created' | 'workflow_run.completed'>,
): Promise<{ ok: true; value: Config } | { ok: false; message: string }> {
  const defaultBranch = context.payload.repository.default_branch;
  const source = githubSettingsSource(context.octokit as unknown as Octokit, context.repo(), defaultBranch);
  try {
    return { ok: true, value: (await loadConfig(source)).config };
  } catch (error) {
    if (!(error instanceof StateError)) throw error;
    // Fixing the file on a PR or the session branch changes nothing: say where it is read from.
    const where = `ipo reads ${error.file} from the default branch \`${defaultBranch}\` only: fix it there, then comment again.`;
    return { ok: false, message: `${error.message}\n\n${where}` };
  }
}
