import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCRIPT } from '../../src/cli/commands/demo.ts';
import { repoCacheId } from '../../src/local/local-paths.ts';
import { readSessionLedger } from '../../src/local/read-session-ledger.ts';
import { loadScript } from '../../src/replay/load-script.ts';
import { type ReplayServer, startReplayServer } from '../../src/replay/replay-server.ts';
import type { ReplayScript } from '../../src/replay/script-schema.ts';
import { listSessionIds, STATE_DIR } from '../../src/state/artifact-store.ts';
import {
  alignmentOnlyScript,
  cliEnv,
  createDemoRepo,
  gitIn,
  IPO_BIN,
  runIpo,
  snapshotRepo,
} from './cli-fixtures.ts';

// Crash-safe local sessions with real processes: Ctrl-C and kill -9 mid-phase, a start that died, and `ipo doctor`.

let root: string;
const replays: ReplayServer[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ipo-crash-'));
});

afterAll(async () => {
  await Promise.all(replays.map((r) => r.close()));
  await rm(root, { recursive: true, force: true });
});

/** A repository, a private HOME (so `~/.cache` is the case's own), a private TMPDIR and a replay of `script`. */
async function setUp(name: string, script: ReplayScript) {
  const dir = join(root, name);
  const home = join(dir, 'home');
  const temp = join(dir, 'tmp');
  await mkdir(home, { recursive: true });
  await mkdir(temp, { recursive: true });
  const repo = await createDemoRepo(join(dir, 'repo'));
  const replay = await startReplayServer({ script });
  replays.push(replay);
  const env = cliEnv(home, {
    ANTHROPIC_API_KEY: 'replay-test-key',
    ANTHROPIC_BASE_URL: replay.url,
    TMPDIR: temp,
  });
  return { repo, home, temp, replay, env, cache: join(home, '.cache/isolated-phase-orchestrator/worktrees') };
}

/** `script` with the first turn of `conversation` answered only after a long delay: the phase is mid-turn meanwhile. */
function delayFirstTurn(script: ReplayScript, conversation: string): ReplayScript {
  const copy = structuredClone(script);
  const turn = copy.conversations.find((c) => c.name === conversation)?.turns[0];
  if (!turn) throw new Error(`no conversation ${conversation}`);
  turn.faults = [{ delayMs: 20_000 }];
  return copy;
}

interface Running {
  child: ChildProcess;
  exit: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** `ipo <args>` in its own process group, as a shell runs a foreground job. */
function spawnIpo(args: string[], cwd: string, env: Record<string, string>): Running {
  const child = spawn(process.execPath, [IPO_BIN, ...args], { cwd, env, detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (t: string) => {
    stdout += t;
  });
  child.stderr?.setEncoding('utf8').on('data', (t: string) => {
    stderr += t;
  });
  const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, exit };
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Resolves once the model has been asked the first turn of `conversation` (the phase is then mid-turn). */
function midTurn(replay: ReplayServer, conversation: string): Promise<true> {
  return until(`a request of ${conversation}`, () =>
    replay.requests.some((r) => r.match?.conversation === conversation) ? true : undefined,
  );
}

function worktreeCount(repo: string): Promise<number> {
  return gitIn(repo, ['worktree', 'list', '--porcelain']).then((t) => (t.match(/^worktree /gm) ?? []).length);
}

/** ipo's temp dirs in `temp` (tsx keeps its own cache there too). */
async function ipoTempDirs(temp: string): Promise<string[]> {
  return (await readdir(temp)).filter((name) => name.startsWith('ipo-'));
}

/** The pid of a process that has ended. */
function deadPid(): number {
  const pid = spawnSync(process.execPath, ['-e', '0']).pid;
  if (pid === undefined) throw new Error('no pid');
  return pid;
}

describe.concurrent('crash-safe local sessions (real processes)', () => {
  it('Ctrl-C during implementation records it as failed (exit 130); `ipo retry implementation` completes it, and the finished branch checks out and tests cleanly', async () => {
    const { repo, temp, replay, env, cache } = await setUp(
      'sigint',
      delayFirstTurn(await loadScript(DEMO_SCRIPT), 'implementation'),
    );
    expect(await runIpo(['start', '1.3'], repo, env)).toMatchObject({ code: 0, stderr: '' });
    const [session = ''] = await listSessionIds(repo);
    const running = spawnIpo(['proceed', 'implementation'], repo, env);
    await midTurn(replay, 'implementation');

    // While it runs: status says running (not interrupted), and a second ipo is refused, changing nothing.
    const status = await runIpo(['status'], repo, env);
    expect(status.stdout).toContain('implementing');
    expect(status.stdout).not.toContain('Interrupted');
    const before = await snapshotRepo(repo);
    const second = await runIpo(['retry', 'implementation'], repo, env);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`session ${session} is in use by another ipo (pid ${running.child.pid}`);
    expect(await snapshotRepo(repo)).toEqual(before);
    expect(await worktreeCount(repo)).toBe(2);

    // A terminal's Ctrl-C reaches the whole foreground group: the CLI and its phase process.
    process.kill(-(running.child.pid ?? 0), 'SIGINT');
    const stopped = await running.exit;
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).toContain('✗ implementation attempt 1 failed: interrupted by SIGINT');
    expect(stopped.stderr).toBe(
      'ipo: implementation attempt 1 stopped by SIGINT and recorded as failed; to go on: `ipo retry implementation`\n',
    );
    expect((await readSessionLedger(repo, session)).status).toMatchObject({
      kind: 'failed',
      phase: 'implementation',
      error: 'interrupted by SIGINT',
    });
    expect(await worktreeCount(repo)).toBe(1);
    expect(await ipoTempDirs(temp)).toEqual([]);
    expect((await runIpo(['status'], repo, env)).stdout).toContain('failed:implementation');

    const retried = await runIpo(['retry', 'implementation'], repo, env);
    expect(retried).toMatchObject({ code: 0, stderr: '' });
    expect(retried.stdout).toContain('✓ implementation attempt 2 succeeded');
    for (const phase of ['verification', 'commit']) {
      expect(await runIpo(['proceed', phase], repo, env)).toMatchObject({ code: 0, stderr: '' });
    }

    // Done: nothing of ipo in the user's repository, and its session branch is theirs to check out and test.
    expect(await gitIn(repo, ['status', '--porcelain', '--untracked-files=all'])).toBe('');
    expect(await worktreeCount(repo)).toBe(1);
    expect(await readdir(cache).catch(() => [])).toEqual([]);
    await gitIn(repo, ['checkout', '--quiet', `ipo/${session}`]);
    const npmTest = spawnSync('npm', ['test'], { cwd: repo, env, encoding: 'utf8' });
    const direct = spawnSync(process.execPath, ['--test', 'test/'], { cwd: repo, env, encoding: 'utf8' });
    expect(npmTest.status).toBe(0);
    const count = (out: string) => /^# tests (\d+)$/m.exec(out)?.[1];
    expect(count(npmTest.stdout)).toBeDefined();
    // `node --test` finds test files anywhere under the checkout: as many as in test/ means no worktree copies.
    expect(count(npmTest.stdout)).toBe(count(direct.stdout));
    expect(npmTest.stdout).not.toContain(STATE_DIR);
  }, 240_000);

  it('after `kill -9` of the CLI mid-phase, status shows the run as interrupted and `ipo retry alignment` recovers it', async () => {
    const { repo, replay, env, temp } = await setUp(
      'kill9',
      delayFirstTurn(await alignmentOnlyScript(), 'alignment'),
    );
    const running = spawnIpo(['start', '1.3'], repo, env);
    await midTurn(replay, 'alignment');
    const pid = running.child.pid ?? 0;
    process.kill(pid, 'SIGKILL');
    await running.exit;
    // The phase process notices its parent is gone (its stdin closes) and ends; until then the session is busy.
    const status = await until('status to say interrupted', async () => {
      const shown = await runIpo(['status'], repo, env);
      return shown.stdout.includes('Interrupted') ? shown : undefined;
    });
    expect(status.stdout).toContain('aligning');
    expect(status.stdout).toContain(`the ipo process that ran it (pid ${pid}) is gone`);
    const [session = ''] = await listSessionIds(repo);
    // Status is read only: the ledger still says running.
    expect((await readSessionLedger(repo, session)).status.kind).toBe('running');

    const retried = await runIpo(['retry', 'alignment'], repo, env);
    expect(retried).toMatchObject({ code: 0, stderr: '' });
    expect(retried.stdout).toContain(
      `Recorded alignment attempt 1 as failed (interrupted: the ipo process that ran it (pid ${pid}) is gone).`,
    );
    expect(retried.stdout).toContain('✓ alignment attempt 2 succeeded');
    const ledger = await readSessionLedger(repo, session);
    expect(ledger.runs.map((r) => `${r.phase}#${r.attempt}:${r.status}`)).toEqual([
      'alignment#1:failed',
      'alignment#2:succeeded',
    ]);
    expect(ledger.status).toMatchObject({ kind: 'awaiting', gate: 'implementation' });
    expect(await worktreeCount(repo)).toBe(1);
    // The killed CLI's temp dirs are left; `ipo doctor` finds them by the dead pid in their names.
    const doctor = await runIpo(['doctor', '--yes'], repo, env);
    expect(doctor.stdout).toContain(`ipo-alignment-in-${pid}-`);
    expect(await ipoTempDirs(temp)).toEqual([]);
  }, 120_000);

  it('`ipo start` after a start that died: an orphan branch without commits is reused, one with commits is left and named', async () => {
    const alignment = await alignmentOnlyScript();
    const twice = structuredClone(alignment.conversations[0]);
    if (!twice) throw new Error('no alignment conversation');
    twice.name = 'alignment-again';
    const { repo, env } = await setUp('orphan', {
      ...alignment,
      conversations: [...alignment.conversations, twice],
    });
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    const first = `phase-1.3-${day}`;
    // What a start killed after `git branch` leaves: the branch, no session directory.
    await gitIn(repo, ['branch', `ipo/${first}`]);
    const started = await runIpo(['start', '1.3'], repo, env);
    expect(started).toMatchObject({ code: 0, stderr: '' });
    expect(started.stdout).toContain(
      `Branch ipo/${first} was left by an earlier \`ipo start\` without a session`,
    );
    expect(await listSessionIds(repo)).toEqual([first]);

    // The same with work on it: never reset, the next id is taken and the branch named.
    await runIpo(['cancel'], repo, env);
    const tree = (await gitIn(repo, ['rev-parse', 'main^{tree}'])).trim();
    const commit = (await gitIn(repo, ['commit-tree', tree, '-p', 'main', '-m', 'work of someone'])).trim();
    const second = `phase-1.3-${day}-2`;
    await gitIn(repo, ['branch', `ipo/${second}`, commit]);
    const again = await runIpo(['start', '1.3'], repo, env);
    expect(again).toMatchObject({ code: 0, stderr: '' });
    expect(again.stdout).toContain(
      `Branch ipo/${second} has no session directory (an earlier \`ipo start\` stopped, or ${STATE_DIR} was removed) and it holds 1 commit(s) not on main: left as it is`,
    );
    expect(await listSessionIds(repo)).toEqual([first, `phase-1.3-${day}-3`]);
    expect((await gitIn(repo, ['rev-parse', `ipo/${second}`])).trim()).toBe(commit);
  }, 120_000);

  it('`ipo doctor` lists leftovers, removes nothing without a terminal, and removes them with --yes, never a user branch', async () => {
    const { repo, env, temp, cache } = await setUp('doctor', await alignmentOnlyScript());
    expect(await runIpo(['start', '1.3'], repo, env)).toMatchObject({ code: 0 });
    expect(await runIpo(['cancel'], repo, env)).toMatchObject({ code: 0 });
    const [cancelled = ''] = await listSessionIds(repo);
    const orphan = 'phase-2.1-20240102';
    await gitIn(repo, ['branch', `ipo/${orphan}`]);
    await gitIn(repo, ['branch', 'ipo/notes']);
    await gitIn(repo, ['branch', 'feature/mine']);
    const stale = join(temp, `ipo-verification-out-${deadPid()}-abc123`);
    await mkdir(stale);
    await writeFile(join(stale, 'session.json'), '{}');
    const live = join(temp, `ipo-verification-in-${process.pid}-def456`);
    await mkdir(live);
    // A worktree of a run whose ipo died, in the cache; and one in the old place inside the repository.
    const cached = join(cache, await repoCacheId(repo), `${cancelled}-implementation-1`);
    await gitIn(repo, ['worktree', 'add', '--quiet', '--detach', cached, 'main']);
    const legacy = join(repo, STATE_DIR, 'worktrees', cancelled);
    await gitIn(repo, ['worktree', 'add', '--quiet', '--detach', legacy, 'main']);

    const before = await snapshotRepo(repo);
    const listed = await runIpo(['doctor'], repo, env);
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    for (const line of [
      `branch ipo/${cancelled}  (session ${cancelled} was cancelled)`,
      `branch ipo/${orphan}  (no session directory`,
      `temp dir ${stale}`,
      `worktree ${legacy}`,
      `worktree ${cached}`,
      'Nothing removed (no terminal to ask): `ipo doctor --yes` removes them.',
    ]) {
      expect(listed.stdout).toContain(line);
    }
    expect(listed.stdout).not.toContain('ipo/notes');
    expect(listed.stdout).not.toContain('feature/mine');
    expect(listed.stdout).not.toContain(live);
    expect(await snapshotRepo(repo)).toEqual(before);

    const removed = await runIpo(['doctor', '--yes'], repo, env);
    expect(removed).toMatchObject({ code: 0, stderr: '' });
    expect(removed.stdout).toMatch(/Removed (\d+) of \1\./);
    const branches = (await gitIn(repo, ['branch', '--format=%(refname:short)'])).split('\n').filter(Boolean);
    expect(branches.sort()).toEqual(['feature/mine', 'ipo/notes', 'main']);
    expect(await worktreeCount(repo)).toBe(1);
    expect(await ipoTempDirs(temp)).toEqual([live.split('/').at(-1)]);
    expect((await runIpo(['doctor'], repo, env)).stdout).toContain('Nothing of ipo is left over');
  }, 120_000);
});
