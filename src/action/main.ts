import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import type Anthropic from '@anthropic-ai/sdk';
import type { Octokit } from '@octokit/rest';
import type { Phase } from '../core/phases.ts';
import { IPO_IDENTITY } from '../git/git.ts';
import { revParse, showFile } from '../git/repo.ts';
import type { StateTrust } from '../github/marker-trust.ts';
import { readStatusComment } from '../github/sticky-comment.ts';
import { readTaskSnapshot, type TaskSnapshotRef, type TaskText } from '../github/task-snapshot.ts';
import { verifyCommandComments } from '../github/verify-command-comment.ts';
import { runPhaseJob } from '../job/run-phase-job.ts';
import type { SandboxHost } from '../sandbox/open-sandbox.ts';
import { unsandboxedNotice } from '../sandbox/unsandboxed-notice.ts';
import { defaultBranchSource } from '../settings/git-settings-source.ts';
import { loadConfig, loadPhaseSkill } from '../settings/load-settings.ts';
import type { Config } from '../state/config.ts';
import type { ActionInputs } from './action-inputs.ts';
import { type ActionOutputs, actionOutputs } from './action-outputs.ts';
import { commandCommentIds } from './command-comment-ids.ts';
import { copyArtifacts } from './copy-artifacts.ts';
import { prepareState } from './prepare-state.ts';
import { publishResult } from './publish-result.ts';
import { reportToGitHub } from './report-to-github.ts';

export interface ActionParams {
  inputs: ActionInputs;
  repo: { owner: string; repo: string };
  /** Whose status comments count, and the key that seals them. */
  trust: StateTrust;
  workspace: string;
  tempDir: string;
  remoteUrl: string;
  /** This run: its id, its page, and the commit it runs (`GITHUB_SHA`, the run's `head_sha`). */
  run?: { id: number; url: string; sha?: string };
  octokit: Octokit;
  anthropic: Anthropic;
  redact: (text: string) => string;
  commandEnv: Record<string, string>;
  sandboxHost: SandboxHost;
  now: () => Date;
  log: { info: (message: string) => void; warning: (message: string) => void };
  writeSummary: (markdown: string) => Promise<void>;
}

export interface ActionResult {
  outputs: ActionOutputs;
  message: string;
}

/**
 * One phase on a clean runner: settings from the default branch, the command comments verified, state verified
 * and caught up with exactly those commands, the phase run through the same job as the CLI, then the result
 * published and reported.
 */
export async function main(p: ActionParams): Promise<ActionResult> {
  const { inputs } = p;
  const { data: repository } = await p.octokit.rest.repos.get(p.repo);
  const defaultBranch = repository.default_branch;
  // Config and skills come from the default branch only (the session branch is the agent's to write), through the
  // same loader as the app and the CLI.
  const settings = await defaultBranchSource(p.workspace, defaultBranch);
  const settingsRef = settings.ref;
  const { config } = await loadConfig(settings, inputs.configPath);
  if (inputs.model) config.phases[inputs.phase].model = inputs.model;
  const { data: issue } = await p.octokit.rest.issues.get({ ...p.repo, issue_number: inputs.issueNumber });
  const headSha = await revParse(p.workspace, 'HEAD');
  if (inputs.approvedSha && headSha !== inputs.approvedSha) {
    throw new Error(
      `the checkout is at ${headSha.slice(0, 7)}, not the approved ${inputs.approvedSha.slice(0, 7)}`,
    );
  }

  const sticky = await readStatusComment(p.octokit, p.repo, inputs.issueNumber, p.trust, inputs.session);
  if (!p.trust.key) {
    p.log.warning(
      'no state-key input (secret IPO_STATE_KEY): the status comment is written unsigned, so anyone with write ' +
        'access could alter the session state it holds; where the app has a key it will refuse this comment',
    );
  }
  // The commands come from their comments as GitHub shows them, never from dispatch inputs anyone could write.
  const commands = await verifyCommandComments(
    p.octokit,
    p.repo,
    commandCommentIds(sticky?.marker, inputs.commentId),
    { issueNumber: inputs.issueNumber, approvers: config.approvers },
  );
  const dispatching = commands.at(-1)?.command;
  const feedback = dispatching?.name === 'retry' ? dispatching.feedback : undefined;
  const workDir = await mkdtemp(join(p.tempDir, 'ipo-state-'));
  const ledger = await prepareState(
    inputs,
    {
      config,
      tasksText: await showFile(p.workspace, settingsRef, config.tasks),
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
  p.log.info(
    `session ${ledger.session}: running ${inputs.phase} attempt ${inputs.attempt} at ${headSha.slice(0, 7)}`,
  );
  const result = await runPhaseJob({
    phase: inputs.phase,
    stateDir: workDir,
    outDir: inputs.outDir,
    workspace: p.workspace,
    config,
    skill: (await loadPhaseSkill(settings, inputs.phase)).text,
    ...(feedback ? { feedback } : {}),
    model: { client: p.anthropic },
    commandEnv: p.commandEnv,
    sandboxHost: p.sandboxHost,
    redact: p.redact,
    identity: IPO_IDENTITY,
    now: p.now,
    publish: (output, ctx) =>
      publishResult(
        {
          octokit: p.octokit,
          repo: p.repo,
          remoteUrl: p.remoteUrl,
          token: inputs.githubToken,
          issueNumber: inputs.issueNumber,
          session: inputs.session,
          startSha: headSha,
        },
        output,
        ctx,
      ),
  });
  // The next phase downloads only this run's artifact, so it carries every earlier artifact too.
  await copyArtifacts(workDir, inputs.outDir);
  await reportToGitHub(p, result);
  await warnIfUnsandboxed(p, config, inputs.phase);
  return { outputs: actionOutputs(inputs, result), message: result.message };
}

/** A phase whose commands ran unsandboxed says so in the log and the job summary, not only in its transcript. */
async function warnIfUnsandboxed(p: ActionParams, config: Config, phase: Phase): Promise<void> {
  const notice = await unsandboxedNotice(config.sandbox, p.sandboxHost, phase);
  if (!notice) return;
  p.log.warning(notice);
  try {
    await p.writeSummary(`\n> [!WARNING]\n> ${notice}\n`);
  } catch (error) {
    p.log.warning(`could not write the job summary: ${p.redact(String(error))}`);
  }
}

/** The task snapshot blob the sealed marker names, verified against its git id and digest. */
async function readIssueSnapshot(p: ActionParams, ref: TaskSnapshotRef): Promise<TaskText> {
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
