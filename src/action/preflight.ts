import type { Octokit } from '@octokit/rest';
import { stateExpiryText } from '../core/dispatch/state-expiry.ts';
import type { StateTrust } from '../github/marker-trust.ts';
import { checkPreviousRunOnGitHub } from '../github/previous-run.ts';
import { CommandRefusal } from '../github/verify-command-comment.ts';
import { defaultBranchSource } from '../settings/git-settings-source.ts';
import { loadConfig } from '../settings/load-settings.ts';
import type { PreflightInputs } from './action-inputs.ts';
import { readSessionCommands } from './command-comment-ids.ts';

export interface PreflightParams {
  inputs: PreflightInputs;
  repo: { owner: string; repo: string };
  /** The checkout, for the config on the default branch. */
  workspace: string;
  octokit: Octokit;
  /** Whose status comments count, and the key that seals them. */
  trust: StateTrust;
  log: { info: (message: string) => void };
}

export interface PreflightResult {
  /** Exact name of the previous run's state artifact, for the download step; empty when there is none. */
  outputs: { 'state-artifact': string };
  message: string;
}

/**
 * Runs before the workflow downloads anything: the dispatch's inputs were written by whoever dispatched, so check
 * what GitHub can confirm. The command comments must hold (see `verifyCommandComment`), and the previous run must
 * be one this session may import from (see `checkPreviousRunOnGitHub`) and hold a state artifact; the download step then
 * fetches that one artifact by its exact name.
 */
export async function preflight(p: PreflightParams): Promise<PreflightResult> {
  const { inputs } = p;
  const { data: repository } = await p.octokit.rest.repos.get(p.repo);
  // The same loader as the phase step (and the app): the default branch only, by full ref name.
  const settings = await defaultBranchSource(p.workspace, repository.default_branch);
  const { config } = await loadConfig(settings, inputs.configPath);
  const { sticky, commands } = await readSessionCommands(p.octokit, p.repo, p.trust, {
    issueNumber: inputs.issueNumber,
    session: inputs.session,
    commentId: inputs.commentId,
    approvers: config.approvers,
  });
  p.log.info(`commands: ${commands.map((c) => `comment ${c.commentId} by @${c.login}`).join(', ')}`);
  const recorded = sticky?.marker.lastRunId;
  if (inputs.previousRunId === undefined) {
    if (recorded !== undefined) {
      throw new CommandRefusal(
        `previous-run-id is empty, but the status comment records run ${recorded}: dispatch with that run`,
      );
    }
    return { outputs: { 'state-artifact': '' }, message: 'no previous run: a new session' };
  }
  if (!sticky) {
    throw new CommandRefusal(
      `previous-run-id names run ${inputs.previousRunId}, but issue #${inputs.issueNumber} has no status comment of ` +
        `session ${inputs.session} by @${p.trust.author} to check it against (only that identity's comments are ` +
        'trusted): if ipo writes as another identity, set the status-author input (variable IPO_BOT_LOGIN)',
    );
  }
  const runId = inputs.previousRunId;
  const checked = await checkPreviousRunOnGitHub(p.octokit, p.repo, runId, {
    repository: `${p.repo.owner}/${p.repo.repo}`,
    workflow: config.workflow,
    defaultBranch: repository.default_branch,
    session: inputs.session,
    issueNumber: inputs.issueNumber,
    ...(recorded !== undefined ? { recordedRunId: recorded } : {}),
    ...(sticky.marker.lastRunSha ? { recordedSha: sticky.marker.lastRunSha } : {}),
  });
  if (!checked.ok) throw new CommandRefusal(checked.reason);
  // Metadata only: the artifact's content is read by the download step, after this check.
  // https://docs.github.com/en/rest/actions/artifacts#list-workflow-run-artifacts (`name` filters by exact name)
  const { data } = await p.octokit.rest.actions.listWorkflowRunArtifacts({
    ...p.repo,
    run_id: runId,
    name: checked.artifact,
  });
  const artifact = data.artifacts.find((a) => a.name === checked.artifact);
  if (!artifact) {
    throw new CommandRefusal(
      `previous run ${runId} holds no state artifact ${checked.artifact}: it ended before exporting state; ` +
        'dispatch with the last run that did (the status comment names it)',
    );
  }
  // Its download would answer 410 Gone: say why, and what to do, instead of a failed download step.
  if (artifact.expired) {
    const lifetime = {
      name: artifact.name,
      createdAt: artifact.created_at ?? '',
      expiresAt: artifact.expires_at ?? null,
      expired: true,
    };
    throw new CommandRefusal(
      `previous run ${runId}: ${stateExpiryText(lifetime, { kind: 'expired', expiresAt: lifetime.expiresAt }, inputs.session)}`,
    );
  }
  return {
    outputs: { 'state-artifact': checked.artifact },
    message: `previous run ${runId} checked; importing ${checked.artifact}`,
  };
}
