import type { Command } from '../core/commands/command.ts';
import { decide } from '../core/session/decide.ts';
import type { Decision } from '../core/session/decision.ts';
import { sessionBranch } from '../core/session/session-branch.ts';
import { nextSessionId } from '../core/session/session-id.ts';
import { isActive, stateLabel } from '../core/session/session-state.ts';
import { git } from '../git/git.ts';
import { currentBranch, dirtyPaths, refExists, repoRoot, revParse, showFile } from '../git/repo.ts';
import { removeWorktree, worktreeHolding } from '../git/worktree.ts';
import { applyDecision, type ExternalEffect, recordRunResult } from '../session/ledger-ops.ts';
import { newLedger } from '../session/new-ledger.ts';
import { localBranchSource } from '../settings/git-settings-source.ts';
import { loadConfig } from '../settings/load-settings.ts';
import { CONFIG_FILE } from '../settings/parse-config.ts';
import { ArtifactStore, listSessionIds, STATE_DIR, sessionDir } from '../state/artifact-store.ts';
import type { Ledger } from '../state/ledger.ts';
import { toSessionView } from '../state/to-session-view.ts';
import { ensureExcludes, phaseWorktree } from './local-paths.ts';
import { pathExists } from './path-exists.ts';
import { readAllSessionLedgers, readSessionLedger } from './read-session-ledger.ts';
import { requireTask } from './require-task.ts';
import { type HolderState, holderState, interruptedReason, readRunLock, SessionLock } from './run-lock.ts';
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
  const task = requireTask(tasksText, taskId, config.tasks, options.force === true);
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
  const decision = decide(undefined, { name: 'start', taskId }, actorContext(deps, false));
  if (decision.kind === 'refuse') throw new UserError(decision.reason);
  const { session, reused } = await claimSessionId(deps, repo, taskId, baseBranch, baseSha, existing);
  const lock = await SessionLock.acquire(sessionDir(repo, session), session, `start ${taskId}`, deps.now());
  try {
    const ledger = newLedger({
      session,
      taskId,
      task: { title: task.title, text: task.text, source: `${config.tasks}#L${task.line}` },
      startedBy: deps.actor,
      baseBranch,
      baseSha,
      at: deps.now().toISOString(),
    });
    if (!reused) await git(repo, ['branch', ledger.branch, baseSha]);
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
    return await carryOut(deps, repo, ledger, decision, lock);
  } finally {
    await lock.release();
  }
}

/**
 * The day's next session id. A branch `ipo/<id>` without a session directory is an orphan of ipo's own (a start that
 * was killed, or a removed state directory): reused (reset to the base) when it holds no commits of its own, else
 * left as it is, said so, and the next id taken.
 */
async function claimSessionId(
  deps: LocalSessionDeps,
  repo: string,
  taskId: string,
  baseBranch: string,
  baseSha: string,
  existing: readonly string[],
): Promise<{ session: string; reused: boolean }> {
  const used = [...existing];
  for (;;) {
    const session = nextSessionId(taskId, deps.now(), used);
    const branch = sessionBranch(session);
    if (!(await refExists(repo, `refs/heads/${branch}`))) return { session, reused: false };
    const own = Number((await git(repo, ['rev-list', '--count', `${baseSha}..refs/heads/${branch}`])).trim());
    const holder = await worktreeHolding(repo, branch);
    if (own === 0 && holder === undefined) {
      await git(repo, ['branch', '--force', branch, baseSha]);
      deps.log(
        `Branch ${branch} was left by an earlier \`ipo start\` without a session and holds no commits of its own: reusing it.`,
      );
      return { session, reused: true };
    }
    const why =
      own > 0 ? `it holds ${own} commit(s) not on ${baseBranch}` : `it is checked out at ${holder ?? '?'}`;
    deps.log(
      `Branch ${branch} has no session directory (an earlier \`ipo start\` stopped, or ${STATE_DIR} was removed) and ${why}: ` +
        'left as it is (`ipo doctor` lists it); taking the next id.',
    );
    used.push(session);
  }
}

/** How a session's running phase stands when no command of this process runs it (for `ipo status`; writes nothing). */
export type RunningState =
  | { kind: 'running'; pid: number }
  | { kind: 'interrupted'; reason: string }
  | { kind: 'unknown'; host: string; pid: number };

/** Whether the phase a ledger says is running still has its ipo process; undefined when nothing is running. */
export async function runningState(repo: string, ledger: Ledger): Promise<RunningState | undefined> {
  if (ledger.status.kind !== 'running') return undefined;
  const lock = await readRunLock(sessionDir(repo, ledger.session));
  const state: HolderState = lock ? holderState(lock) : 'gone';
  if (lock && state === 'alive') return { kind: 'running', pid: lock.pid };
  if (lock && state === 'other-host') return { kind: 'unknown', host: lock.host, pid: lock.pid };
  return { kind: 'interrupted', reason: interruptedReason(lock) };
}

/** `ipo status` / `ipo log`: the session's ledger, read only (config and session branch are not needed to show it). */
export async function readSession(
  cwd: string,
  sessionId?: string,
): Promise<{ repo: string; ledger: Ledger }> {
  const repo = await requireRepo(cwd);
  const session = sessionId ?? (await activeSession(repo, { name: 'status' }));
  await requireSession(repo, session);
  return { repo, ledger: await readSessionLedger(repo, session) };
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
  if (command.name === 'status') {
    // A status changes nothing, so it writes nothing: a rewrite could overwrite what a running phase just recorded.
    const ledger = await readSessionLedger(repo, session);
    const decision = decide(toSessionView(ledger), command, actorContext(deps, false));
    if (decision.kind === 'refuse') throw new UserError(decision.reason);
    return { session, message: decision.message, ledger, runs: [] };
  }
  const peek = await readSessionLedger(repo, session);
  // A refusal changes nothing and needs no lock: it is decided here, without waiting for anyone.
  if (peek.status.kind !== 'running') await plan(deps, repo, peek, command);
  // One acting ipo per session: a second terminal is refused while this one runs a phase.
  const lock = await SessionLock.acquire(sessionDir(repo, session), session, command.name, deps.now());
  try {
    // Read again under the lock: another ipo may have acted since the look above.
    const ledger = await recoverInterrupted(deps, repo, await readSessionLedger(repo, session), lock);
    return await carryOut(deps, repo, ledger, await plan(deps, repo, ledger, command), lock);
  } finally {
    await lock.release();
  }
}

/** The state machine's decision on `command`, with every check the adapter adds; throws the refusal. */
async function plan(
  deps: LocalSessionDeps,
  repo: string,
  ledger: Ledger,
  command: Command,
): Promise<Extract<Decision, { kind: 'accept' }>> {
  const session = ledger.session;
  // Cancelling a session must work while the config on its base branch is broken (that may be why).
  const source = localBranchSource(repo, ledger.baseBranch);
  const { config } =
    command.name === 'cancel'
      ? await loadConfig(source).catch(() => ({ config: { requireDistinctApprover: false } }))
      : await loadConfig(source);
  const branchHead = await revParse(repo, ledger.branch).catch(() => undefined);
  // Without its branch a session can still be cancelled; anything else would act on a missing commit.
  if (branchHead === undefined && command.name !== 'cancel') {
    throw new UserError(
      `the session branch ${ledger.branch} is gone: \`ipo cancel --session ${session}\`, then start again`,
    );
  }
  const decision = decide(toSessionView(ledger), command, {
    ...actorContext(deps, config.requireDistinctApprover),
    ...(branchHead === undefined ? {} : { branchHead }),
  });
  if (decision.kind === 'refuse') throw new UserError(decision.reason);
  const dispatches = decision.effects.filter((e) => e.type === 'dispatch');
  if (dispatches.some((e) => e.phase !== 'commit')) deps.requireModelKey();
  const movesBranch = decision.effects.some(
    (e) =>
      e.type === 'reset-branch' ||
      (e.type === 'dispatch' && (e.phase === 'implementation' || e.phase === 'commit')),
  );
  if (movesBranch) await requireBranchFree(repo, ledger.branch);
  return decision;
}

/**
 * A ledger that says a phase is running while this process holds the session's lock: no ipo runs it any more (the
 * one that did was killed). Recorded as failed through the engine, as a crash is, so `retry` and `rollback` work.
 */
async function recoverInterrupted(
  deps: LocalSessionDeps,
  repo: string,
  ledger: Ledger,
  lock: SessionLock,
): Promise<Ledger> {
  if (ledger.status.kind !== 'running') return ledger;
  const { phase, attempt } = ledger.status;
  const error = interruptedReason(lock.previous);
  const recorded = recordRunResult(ledger, {
    phase,
    attempt,
    outcome: 'failed',
    error,
    at: deps.now().toISOString(),
  });
  await ArtifactStore.forSession(repo, ledger.session).writeLedger(recorded.ledger);
  await removeWorktree(repo, await phaseWorktree(deps.worktreeRoot, repo, ledger.session, phase, attempt));
  deps.log(`Recorded ${phase} attempt ${attempt} as failed (${error}).`);
  return recorded.ledger;
}

async function carryOut(
  deps: LocalSessionDeps,
  repo: string,
  ledger: Ledger,
  decision: Extract<Decision, { kind: 'accept' }>,
  lock: SessionLock,
): Promise<CommandReport> {
  const store = ArtifactStore.forSession(repo, ledger.session);
  const applied = applyDecision(ledger, decision, { actor: deps.actor, at: deps.now().toISOString() });
  let current = applied.ledger;
  await store.writeLedger(current);
  const runs: LocalRunReport[] = [];
  for (const effect of applied.effects) {
    const after = await carryOutEffect(deps, repo, current, effect, lock);
    if (after) {
      runs.push(after);
      current = after.ledger;
      if (after.interrupted) break;
    }
  }
  return { session: ledger.session, message: decision.message, ledger: current, runs };
}

async function carryOutEffect(
  deps: LocalSessionDeps,
  repo: string,
  ledger: Ledger,
  effect: ExternalEffect,
  lock: SessionLock,
): Promise<LocalRunReport | null> {
  switch (effect.type) {
    case 'dispatch':
      deps.log(`Running ${effect.phase} (attempt ${effect.attempt}) in its own process…`);
      return runPhaseLocally({ ...deps, repo }, ledger, effect.phase, effect.attempt, {
        lock,
        ...(effect.feedback ? { feedback: effect.feedback } : {}),
      });
    case 'reset-branch': {
      // No worktree holds the branch between runs (`requireBranchFree` checked the user's own), so it moves as a ref.
      await git(repo, ['branch', '--force', ledger.branch, effect.toSha]);
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

/**
 * git refuses to move a branch checked out in a worktree, and a phase that commits checks the session branch out:
 * when the person has it checked out (to look at it), say so before anything is recorded.
 */
async function requireBranchFree(repo: string, branch: string): Promise<void> {
  const holder = await worktreeHolding(repo, branch);
  if (holder === undefined) return;
  throw new UserError(
    `the session branch ${branch} is checked out at ${holder}: switch that checkout to another branch (\`git -C ${holder} switch -\`), then run this command again`,
  );
}

function actorContext(deps: LocalSessionDeps, requireDistinctApprover: boolean) {
  // Locally the person at the keyboard owns the repository: authorized, like a GitHub admin.
  return { actor: { login: deps.actor, authorized: true }, requireDistinctApprover };
}
