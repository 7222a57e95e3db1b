import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import type { Octokit } from '@octokit/rest';
import type { VerifiedCommand } from '../core/dispatch/verified-command.ts';
import { revParse, showFile } from '../git/repo.ts';
import type { StateTrust } from '../github/marker-trust.ts';
import { readTaskSnapshot, type TaskSnapshotRef, type TaskText } from '../github/task-snapshot.ts';
import { defaultBranchSource } from '../settings/git-settings-source.ts';
import { loadConfig } from '../settings/load-settings.ts';
import type { SettingsSource } from '../settings/settings-source.ts';
import type { Config } from '../state/config.ts';
import type { Ledger } from '../state/ledger.ts';
import { readSessionCommands } from './command-comment-ids.ts';
import { type PrepareInputs, prepareState } from './prepare-state.ts';

/** What the agent step and the write step both need to rebuild a run's state from GitHub and the downloaded artifact. */
export interface RunStateParams {
  inputs: PrepareInputs & { issueNumber: number; commentId: number; configPath: string; model?: string };
  repo: { owner: string; repo: string };
  /** Whose status comments count, and the key that seals them (null in the agent step, which holds no key). */
  trust: StateTrust;
  workspace: string;
  tempDir: string;
  octokit: Octokit;
  now: () => Date;
}

export interface RunState {
  config: Config;
  settings: SettingsSource;
  defaultBranch: string;
  /** The checkout's HEAD: the approved commit. */
  headSha: string;
  /** The ledger caught up with the verified commands, in `workDir` with every artifact carried so far. */
  ledger: Ledger;
  workDir: string;
  commands: readonly VerifiedCommand[];
}

/**
 * Settings from the default branch, the command comments verified, the downloaded state checked against the
 * status comment's record and caught up with exactly those commands. The agent step runs it to work; the write step
 * runs it again with the state key, so nothing the agent job produced decides what the ledger says before its run.
 */
export async function loadRunState(p: RunStateParams): Promise<RunState> {
  const { inputs } = p;
  const { data: repository } = await p.octokit.rest.repos.get(p.repo);
  const defaultBranch = repository.default_branch;
  // Config and skills come from the default branch only (the session branch is the agent's to write), through the
  // same loader as the app and the CLI.
  const settings = await defaultBranchSource(p.workspace, defaultBranch);
  const { config } = await loadConfig(settings, inputs.configPath);
  if (inputs.model) config.phases[inputs.phase].model = inputs.model;
  const { data: issue } = await p.octokit.rest.issues.get({ ...p.repo, issue_number: inputs.issueNumber });
  const headSha = await revParse(p.workspace, 'HEAD');
  if (inputs.approvedSha && headSha !== inputs.approvedSha) {
    throw new Error(
      `the checkout is at ${headSha.slice(0, 7)}, not the approved ${inputs.approvedSha.slice(0, 7)}`,
    );
  }
  const { sticky, commands } = await readSessionCommands(p.octokit, p.repo, p.trust, {
    issueNumber: inputs.issueNumber,
    session: inputs.session,
    commentId: inputs.commentId,
    approvers: config.approvers,
  });
  const workDir = await mkdtemp(join(p.tempDir, 'ipo-state-'));
  const ledger = await prepareState(
    inputs,
    {
      config,
      tasksText: await showFile(p.workspace, settings.ref, config.tasks),
      tasksPath: config.tasks,
      // The issue's text as the start found it, where the app snapshotted it: a later edit changes nothing.
      issue: {
        ...(sticky?.marker.task
          ? await readIssueSnapshot(p, sticky.marker.task)
          : { title: issue.title, body: issue.body ?? '' }),
        url: issue.html_url,
      },
      defaultBranch,
      headSha,
      now: p.now,
      expectedLedger: sticky?.marker.ledgerDigest
        ? { digest: sticky.marker.ledgerDigest }
        : {
            missing: missingLedgerRecord(sticky !== null, inputs.session, inputs.issueNumber, p.trust.author),
          },
      commands,
    },
    workDir,
  );
  return { config, settings, defaultBranch, headSha, ledger, workDir, commands };
}

/** The task snapshot blob the sealed marker names, verified against its git id and digest. */
async function readIssueSnapshot(p: RunStateParams, ref: TaskSnapshotRef): Promise<TaskText> {
  const { data } = await p.octokit.rest.git.getBlob({ ...p.repo, file_sha: ref.blob });
  const text = Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8');
  const task = readTaskSnapshot(text, ref);
  if (typeof task === 'string') throw new Error(`${task}: the session's task text cannot be trusted`);
  return task;
}

/** Why no ledger record was found, and what to check: usually `status-author` is not the identity that writes. */
function missingLedgerRecord(found: boolean, session: string, issue: number, author: string): string {
  return found
    ? `the status comment of session ${session} on issue #${issue} records no exported ledger yet; dispatch with the run that exported one`
    : `no status comment of session ${session} by @${author} on issue #${issue} (only that identity's comments are trusted); if ipo writes as another identity, set the status-author input (variable IPO_BOT_LOGIN) to it, or recover the session from its artifact chain with \`ipo status\``;
}
