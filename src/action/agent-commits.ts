import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { type ChangeScope, classifyChanges } from '../core/scope/classify-changes.ts';
import { pathsTouched } from '../git/commits.ts';
import { git, gitOk } from '../git/git.ts';
import { AgentOutputRefusal } from './agent-output-refusal.ts';

/** The agent job's commits, as a git bundle in its upload: the write job pushes them, the agent job cannot. */
export const COMMITS_BUNDLE = 'commits.bundle';
const WORKFLOWS = '.github/workflows/';
/** No hook or config the agent could have planted runs while ipo's own git reads its commits. */
const NO_HOOKS = ['-c', 'core.hooksPath=/dev/null'];

/**
 * Writes the commits from `start` (exclusive) to the workspace's HEAD, which must be `head`, to `<outDir>/commits.bundle`;
 * nothing when the phase left the branch where it started.
 */
export async function bundleAgentCommits(
  workspace: string,
  outDir: string,
  range: { start: string; head: string },
): Promise<void> {
  if (range.head === '' || range.head === range.start) return;
  const at = (await git(workspace, ['rev-parse', 'HEAD'])).trim();
  if (at !== range.head) {
    throw new Error(`the workspace is at ${at.slice(0, 7)}, not the phase's head ${range.head.slice(0, 7)}`);
  }
  // HEAD, not a raw sha: a bundle carries refs; `^start` leaves out what the write job's checkout already holds.
  await git(workspace, [
    ...NO_HOOKS,
    'bundle',
    'create',
    '--quiet',
    join(outDir, COMMITS_BUNDLE),
    'HEAD',
    `^${range.start}`,
  ]);
}

export interface AgentCommitRules {
  phase: 'implementation' | 'commit';
  /** The commit approved at the gate: the checkout the write job made, and what the remote branch must still be at. */
  approvedSha: string;
  /** The head the agent's ledger records. */
  head: string;
  /** Commit only: the session's base, which the squashed commit must sit directly on. */
  squashBase?: string;
  allowWorkflowChanges: boolean;
  /**
   * Implementation only: the approved alignment's scope. A commit that touches a `filesForbidden` path is refused;
   * one outside `filesIn` is not (verification reports it as `unrequested` and the person decides).
   */
  scope?: ChangeScope;
  /** Whether the write token may push `.github/workflows/*` (input `workflows-write`); GITHUB_TOKEN never may. */
  tokenCanPushWorkflows: boolean;
}

/** What the checked commits are: the workflow files they touch, for the message should GitHub refuse the push. */
export interface ImportedCommits {
  workflowFiles: string[];
}

/**
 * Brings the agent job's commits into the write job's checkout (objects only, no ref moves) and checks them
 * against what was approved: implementation only adds commits on top of the approved sha; commit replaces them
 * with one commit on the session's base holding exactly the approved tree; neither touches `.github/workflows/`
 * unless the config allows it and the write token can push them, and implementation touches nothing the approved
 * scope forbids. Throws `AgentOutputRefusal` saying which rule failed.
 */
export async function importAgentCommits(
  cwd: string,
  agentDir: string,
  rules: AgentCommitRules,
): Promise<ImportedCommits> {
  const { approvedSha, head } = rules;
  if (head === approvedSha) return { workflowFiles: [] };
  const bundle = join(agentDir, COMMITS_BUNDLE);
  if (
    !(await access(bundle).then(
      () => true,
      () => false,
    ))
  ) {
    throw new AgentOutputRefusal(
      `${COMMITS_BUNDLE} is missing, but the ledger records head ${head.slice(0, 7)}`,
    );
  }
  // `unbundle` checks the bundle's prerequisites are here and stores its objects without touching any ref.
  const heads = await git(cwd, [...NO_HOOKS, 'bundle', 'unbundle', bundle]).catch((error: Error) => {
    throw new AgentOutputRefusal(
      `${COMMITS_BUNDLE} cannot be read on the approved checkout: ${error.message}`,
    );
  });
  const tips = heads
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' ')[0]);
  if (tips.length !== 1 || tips[0] !== head) {
    throw new AgentOutputRefusal(
      `${COMMITS_BUNDLE} holds ${tips.join(', ') || 'no commit'}, not the head ${head.slice(0, 7)} the ledger records`,
    );
  }
  if (rules.phase === 'implementation') {
    if (!(await gitOk(cwd, ['merge-base', '--is-ancestor', approvedSha, head]))) {
      throw new AgentOutputRefusal(
        `head ${head.slice(0, 7)} is not on top of the approved ${approvedSha.slice(0, 7)}`,
      );
    }
  } else {
    const parents = (await git(cwd, ['rev-list', '--parents', '-n', '1', head])).trim().split(' ').slice(1);
    if (parents.length !== 1 || parents[0] !== rules.squashBase) {
      throw new AgentOutputRefusal(
        `the squashed commit ${head.slice(0, 7)} must have the session's base ${rules.squashBase?.slice(0, 7)} as its only parent`,
      );
    }
    const [tree, approvedTree] = await Promise.all(
      [head, approvedSha].map(async (sha) => (await git(cwd, ['rev-parse', `${sha}^{tree}`])).trim()),
    );
    if (tree !== approvedTree) {
      throw new AgentOutputRefusal(
        `the squashed commit ${head.slice(0, 7)} does not hold the approved tree of ${approvedSha.slice(0, 7)}`,
      );
    }
  }
  // `git log --name-only` lists no file for a merge (its own changes are in no parent's diff), so an evil merge
  // could add a workflow or a forbidden file unseen. ipo's phases commit in a line: a merge is refused outright.
  const from = rules.phase === 'implementation' ? approvedSha : (rules.squashBase ?? approvedSha);
  const merges = (await git(cwd, ['rev-list', '--min-parents=2', `${from}..${head}`]))
    .split('\n')
    .filter(Boolean);
  if (merges.length > 0) {
    throw new AgentOutputRefusal(
      `the commits include the merge ${merges.map((sha) => sha.slice(0, 7)).join(', ')}: ipo commits in a line, and a merge's own changes are not listed by the checks, so it is refused`,
    );
  }
  // Every pushed commit, not only the end state: a workflow on any branch can run on `push` with the secrets, and
  // a forbidden file changed and changed back is still on the branch for anyone to fetch.
  if (!rules.allowWorkflowChanges) {
    // `.github` or `.github/workflows` itself too: a symlink (or a file, a gitlink) in place of the directory.
    // GitHub follows no symlink to a workflow (https://github.com/actions/runner/issues/3195), but a workflow
    // directory that is somewhere else is no longer one the check can see.
    const touched = (await pathsTouched(cwd, from, head, ['.github'])).filter(
      (path) => path === '.github' || path === '.github/workflows' || path.startsWith(WORKFLOWS),
    );
    if (touched.length > 0) {
      throw new AgentOutputRefusal(
        `the commits change ${touched.join(', ')}: changes under ${WORKFLOWS} are refused unless .github/ipo.yml sets allowWorkflowChanges: true`,
      );
    }
  }
  if (rules.scope && rules.scope.filesForbidden.length > 0) {
    const touched = await pathsTouched(cwd, from, head);
    const { forbidden } = classifyChanges(
      touched.map((path) => ({ path })),
      rules.scope,
    );
    if (forbidden.length > 0) {
      throw new AgentOutputRefusal(
        `the commits change ${forbidden.join(', ')}, which the approved alignment forbids (scope.filesForbidden: ${rules.scope.filesForbidden.join(', ')})`,
      );
    }
  }
  const workflowFiles = await pathsTouched(cwd, from, head, [WORKFLOWS]);
  if (workflowFiles.length === 0) return { workflowFiles };
  if (!rules.allowWorkflowChanges) {
    throw new AgentOutputRefusal(
      `the commits change ${workflowFiles.join(', ')}: changes under ${WORKFLOWS} are refused unless .github/ipo.yml sets allowWorkflowChanges: true`,
    );
  }
  // Said before the push, not as git's "[remote rejected]" after it: GitHub refuses a push that creates or updates a
  // workflow file from a token without the `workflows` permission, and a job's GITHUB_TOKEN can never be given it
  // (https://docs.github.com/en/rest/authentication/permissions-required-for-github-apps#repository-permissions-for-workflows).
  if (!rules.tokenCanPushWorkflows) throw new AgentOutputRefusal(workflowTokenRefusal(workflowFiles));
  return { workflowFiles };
}

/** Why the write token cannot push these workflow files, and the two ways on. */
export function workflowTokenRefusal(files: readonly string[]): string {
  // Lines under 200 characters: the status comment shows each error line cut to that width.
  return [
    `the commits change ${files.join(', ')}, which this token cannot push:`,
    `GitHub refuses ${WORKFLOWS}* changes without the \`workflows\` permission, which a job's GITHUB_TOKEN never has.`,
    'Either give the write job a GitHub App token with "Workflows: write" as github-token and set workflows-write: true,',
    'or leave the workflow change out (retry with feedback asking for that; allowWorkflowChanges: false refuses it)',
  ].join('\n');
}

/** True when git's push failed because GitHub refused a workflow-file change to this token. */
export function isWorkflowPushRefusal(stderr: string): boolean {
  return /refusing to allow .* to create or update workflow/.test(stderr);
}
