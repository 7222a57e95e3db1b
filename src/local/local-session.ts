import type { Command } from '../core/commands/command.ts';
import { decide } from '../core/session/decide.ts';
import type { Decision } from '../core/session/decision.ts';
import { nextSessionId } from '../core/session/session-id.ts';
import { isActive, stateLabel } from '../core/session/session-state.ts';
import { isInstallOutput } from '../core/setup/detect-setup.ts';
import { explainMissing } from '../core/tasks/explain-missing.ts';
import { findTask, listTasks } from '../core/tasks/find-task.ts';
import { git } from '../git/git.ts';
import { currentBranch, dirtyPaths, repoRoot, revParse, showFile } from '../git/repo.ts';
import { applyDecision, type ExternalEffect } from '../session/ledger-ops.ts';
import { newLedger } from '../session/new-ledger.ts';
import { localBranchSource } from '../settings/git-settings-source.ts';
import { loadConfig } from '../settings/load-settings.ts';
import { CONFIG_FILE } from '../settings/parse-config.ts';
import { ArtifactStore, listSessionIds, STATE_DIR } from '../state/artifact-store.ts';
import type { Ledger } from '../state/ledger.ts';
import { toSessionView } from '../state/to-session-view.ts';
import { ensureExcludes, sessionWorktree } from './local-paths.ts';
import { pathExists } from './path-exists.ts';
import { readAllSessionLedgers, readSessionLedger } from './read-session-ledger.ts';
import { type LocalRunDeps, type LocalRunReport, runPhaseLocally } from './run-phase-locally.ts';
import { UserError } from './user-error.ts';

export interface LocalSessionDeps extends Omit<LocalRunDeps, 'repo'> {
  cwd: string;
  actor: string;
  /** Refuses phases that call the model when no key is configured (the demo sets a replay key). */
  requireModelKey: () => void;
  log: (line: string) => void;
}

export interface CommandReport {
  session: string;
  message: string;
  ledger: Ledger;
  runs: LocalRunReport[];
}

export interface StartOptions {
  /** Start a task the roadmap marks done (checked, ✅, `(done)`, `Status: done`). */
  force?: boolean;
}

/** `ipo start X.Y`: a new session on its own branch, cut from the current branch, then alignment. */
export async function startSession(
  deps: LocalSessionDeps,
  taskId: string,
  options: StartOptions = {},
): Promise<CommandReport> {
  const repo = await requireRepo(deps.cwd);
  const baseBranch = await currentBranch(repo);
  if (!baseBranch)
    throw new UserError('HEAD is detached: check out the branch sessions should start from (e.g. main)');
  const baseSha = await revParse(repo, 'HEAD').catch(() => {
    throw new UserError(`branch ${baseBranch} has no commits yet: commit the spec and tasks file first`);
  });
  const { config } = await loadConfig(localBranchSource(repo, baseBranch));
  const allDirty = (await dirtyPaths(repo)).filter((p) => !p.startsWith(`${STATE_DIR}/`));
  const dirty = allDirty.filter((p) => [config.spec, config.tasks, CONFIG_FILE].includes(p));
  if (dirty.length > 0) {
    throw new UserError(
      `${dirty.join(', ')} has uncommitted changes; a session reads the committed version: commit first`,
    );
  }
  const tasksText = await showFile(repo, baseBranch, config.tasks);
  if (tasksText === null)
    throw new UserError(`tasks file ${config.tasks} (config \`tasks\`) is not on ${baseBranch}`);
  if ((await showFile(repo, baseBranch, config.spec)) === null) {
    throw new UserError(`spec file ${config.spec} (config \`spec\`) is not on ${baseBranch}`);
  }
  const task = findTask(tasksText, taskId);
  if (!task) throw taskNotFound(tasksText, taskId, config.tasks);
  if (task.done && !options.force) {
    throw new UserError(
      `task ${taskId} is marked done in ${config.tasks} (line ${task.line}: ${firstLine(task.text)}). ` +
        `To run a session for it anyway: \`ipo start ${taskId} --force\``,
    );
  }
  const existing = await listSessionIds(repo);
  const { ledgers, unreadable } = await readAllSessionLedgers(repo);
  for (const other of ledgers) {
    if (other.taskId === taskId && isActive(other.status)) {
      throw new UserError(
        `session ${other.session} for task ${taskId} is still active (${stateLabel(other.status)}): finish it or \`ipo cancel --session ${other.session}\``,
      );
    }
  }
  for (const broken of unreadable) {
    deps.log(
      `Warning: session ${broken.session} cannot be read and was skipped (${broken.reason}). Restore its session.json, or remove ${STATE_DIR}/sessions/${broken.session}/ if you no longer need it.`,
    );
  }
  deps.requireModelKey();
  const session = nextSessionId(taskId, deps.now(), existing);
  const decision = decide(undefined, { name: 'start', taskId }, actorContext(deps, false));
  if (decision.kind === 'refuse') throw new UserError(decision.reason);
  const ledger = newLedger({
    session,
    taskId,
    task: { title: task.title, text: task.text, source: `${config.tasks}#L${task.line}` },
    startedBy: deps.actor,
    baseBranch,
    baseSha,
    at: deps.now().toISOString(),
  });
  await git(repo, ['branch', ledger.branch, baseSha]);
  await ensureExcludes(repo);
  deps.log(`Session ${session} started for task ${taskId} (${task.title}) on branch ${ledger.branch}.`);
  // The session starts from the last commit: work left uncommitted is not in it, and the person should know.
  if (allDirty.length > 0) {
    const shown =
      allDirty.slice(0, 5).join(', ') + (allDirty.length > 5 ? `, … (${allDirty.length} in all)` : '');
    deps.log(
      `Note: your uncommitted changes (${shown}) are not part of the session: it starts from ${baseBranch} at ${baseSha.slice(0, 7)}. Commit them and start again if the task needs them.`,
    );
  }
  return carryOut(deps, repo, ledger, decision);
}

/** `ipo status` / `ipo log`: the session's ledger, read only (config and session branch are not needed to show it). */
export async function readSession(cwd: string, sessionId?: string): Promise<Ledger> {
  const repo = await requireRepo(cwd);
  const session = sessionId ?? (await activeSession(repo, { name: 'status' }));
  await requireSession(repo, session);
  return readSessionLedger(repo, session);
}

/** Any other command, decided by the same state machine the GitHub app uses. */
export async function giveCommand(
  deps: LocalSessionDeps,
  command: Command,
  sessionId?: string,
): Promise<CommandReport> {
  const repo = await requireRepo(deps.cwd);
  const session = sessionId ?? (await activeSession(repo, command));
  await requireSession(repo, session);
  const ledger = await readSessionLedger(repo, session);
  // Cancelling or showing a session must work while the config on its base branch is broken (that may be why).
  const tolerant = command.name === 'cancel' || command.name === 'status';
  const source = localBranchSource(repo, ledger.baseBranch);
  const { config } = tolerant
    ? await loadConfig(source).catch(() => ({ config: { requireDistinctApprover: false } }))
    : await loadConfig(source);
  const branchHead = await revParse(repo, ledger.branch).catch(() => undefined);
  // Without its branch a session can still be shown and cancelled; anything else would act on a missing commit.
  if (branchHead === undefined && command.name !== 'status' && command.name !== 'cancel') {
    throw new UserError(
      `the session branch ${ledger.branch} is gone: \`ipo cancel --session ${session}\`, then start again`,
    );
  }
  const decision = decide(toSessionView(ledger), command, {
    ...actorContext(deps, config.requireDistinctApprover),
    ...(branchHead === undefined ? {} : { branchHead }),
  });
  if (decision.kind === 'refuse') throw new UserError(decision.reason);
  // A status changes nothing, so it writes nothing: a rewrite could overwrite what a running phase just recorded.
  if (command.name === 'status') return { session, message: decision.message, ledger, runs: [] };
  const dispatches = decision.effects.filter((e) => e.type === 'dispatch');
  if (dispatches.some((e) => e.phase !== 'commit')) deps.requireModelKey();
  if (dispatches.length > 0) await requireCleanWorktree(repo, session);
  return carryOut(deps, repo, ledger, decision);
}

async function carryOut(
  deps: LocalSessionDeps,
  repo: string,
  ledger: Ledger,
  decision: Extract<Decision, { kind: 'accept' }>,
): Promise<CommandReport> {
  const store = ArtifactStore.forSession(repo, ledger.session);
  const applied = applyDecision(ledger, decision, { actor: deps.actor, at: deps.now().toISOString() });
  let current = applied.ledger;
  await store.writeLedger(current);
  const runs: LocalRunReport[] = [];
  for (const effect of applied.effects) {
    const after = await carryOutEffect(deps, repo, current, effect);
    if (after) {
      runs.push(after);
      current = after.ledger;
    }
  }
  return { session: ledger.session, message: decision.message, ledger: current, runs };
}

async function carryOutEffect(
  deps: LocalSessionDeps,
  repo: string,
  ledger: Ledger,
  effect: ExternalEffect,
): Promise<LocalRunReport | null> {
  switch (effect.type) {
    case 'dispatch':
      deps.log(`Running ${effect.phase} (attempt ${effect.attempt}) in its own process…`);
      return runPhaseLocally({ ...deps, repo }, ledger, effect.phase, effect.attempt, effect.feedback);
    case 'reset-branch': {
      const worktree = sessionWorktree(repo, ledger.session);
      if (await pathExists(worktree)) await git(worktree, ['reset', '--hard', '--quiet', effect.toSha]);
      else await git(repo, ['branch', '--force', ledger.branch, effect.toSha]);
      deps.log(`Session branch ${ledger.branch} reset to ${effect.toSha.slice(0, 7)}.`);
      return null;
    }
    case 'cancel-run':
    case 'report-status':
      // Local phases run in the foreground, so there is never a run in flight to cancel.
      return null;
    default: {
      const never: never = effect;
      throw new Error(`unhandled effect ${JSON.stringify(never)}`);
    }
  }
}

/** The one active session (optionally for the command's task); several need `--session`. */
async function activeSession(repo: string, command: Command): Promise<string> {
  const { ledgers, unreadable } = await readAllSessionLedgers(repo);
  const active = ledgers.filter((l) => isActive(l.status));
  if (active.length === 1 && active[0]) return active[0].session;
  if (active.length === 0) {
    // With no readable active session, one that cannot be read may be it: its own error names the file and the
    // field to fix (only `ipo start` goes past broken sessions, naming them).
    const broken = unreadable.at(-1);
    if (broken) throw broken.error;
    if (command.name === 'status' && ledgers.length > 0) return ledgers.at(-1)?.session ?? '';
    throw new UserError('no active session here: start one with `ipo start <task id>` (or try `ipo demo`)');
  }
  throw new UserError(
    `several sessions are active (${active.map((l) => l.session).join(', ')}): pass --session <id>`,
  );
}

async function requireSession(repo: string, session: string): Promise<void> {
  if (await pathExists(ArtifactStore.forSession(repo, session).path('session.json'))) return;
  const known = await listSessionIds(repo);
  throw new UserError(
    `no session ${session} in this repository (${known.length > 0 ? `sessions here: ${known.join(', ')}` : 'none yet: start one with `ipo start <task id>`'})`,
  );
}

async function requireRepo(cwd: string): Promise<string> {
  const root = await repoRoot(cwd);
  if (!root)
    throw new UserError(`${cwd} is not inside a git repository: run ipo from your project's checkout`);
  return root;
}

/** Hand edits in the session worktree would be committed as the agent's work, or lost by a reset: refuse them. */
async function requireCleanWorktree(repo: string, session: string): Promise<void> {
  const worktree = sessionWorktree(repo, session);
  if (!(await pathExists(worktree))) return;
  // What set-up installed (node_modules/, .venv/) is not a hand edit: ipo never commits it.
  const dirty = await dirtyPaths(worktree, isInstallOutput);
  if (dirty.length > 0) {
    throw new UserError(
      `the session worktree ${worktree} has uncommitted changes (${dirty.slice(0, 3).join(', ')}): commit or discard them first`,
    );
  }
}

function actorContext(deps: LocalSessionDeps, requireDistinctApprover: boolean) {
  // Locally the person at the keyboard owns the repository: authorized, like a GitHub admin.
  return { actor: { login: deps.actor, authorized: true }, requireDistinctApprover };
}

/** Why `taskId` is not in the tasks file: the ids there are, then the lines that mention it and why each was skipped. */
function taskNotFound(tasksText: string, taskId: string, file: string): UserError {
  const misses = explainMissing(tasksText, taskId);
  const known = listTasks(tasksText).map((t) => t.taskId);
  const hints = misses.flatMap((miss) => [`${file}:${miss.line}: ${miss.text}`, `  skipped: ${miss.reason}`]);
  hints.push(
    'ipo reads a task from a heading, list or checklist item, table row or paragraph that opens with its id:',
    '  `## 1.2 Title`, `## Phase 1.2 — Title`, `- [ ] 1.2 Title`, `| 1.2 | Title |`, `Task 1.2: Title`',
    `  (config \`tasks\` in .github/ipo.yml names the file)`,
  );
  return new UserError(
    `task ${taskId} is not in ${file} (tasks there: ${known.join(', ') || 'none'})`,
    1,
    hints,
  );
}

function firstLine(text: string): string {
  return `\`${(text.split('\n')[0] ?? '').trim().slice(0, 100)}\``;
}
