import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCRIPT } from '../../src/cli/commands/demo.ts';
import { readSessionLedger } from '../../src/local/read-session-ledger.ts';
import { loadScript } from '../../src/replay/load-script.ts';
import { type ReplayServer, startReplayServer } from '../../src/replay/replay-server.ts';
import { listSessionIds, sessionDir } from '../../src/state/artifact-store.ts';
import { alignmentOnlyScript, cliEnv, createDemoRepo, gitIn, IPO_BIN, runIpo } from './cli-fixtures.ts';

// How people run a CLI from a shell: piped into `head`, and across shells where the model key is not exported.

const exec = promisify(execFile);
let root: string;
let home: string;
const replays: ReplayServer[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ipo-shell-'));
  home = join(root, 'home');
  await mkdir(home);
});

afterAll(async () => {
  await Promise.all(replays.map((r) => r.close()));
  await rm(root, { recursive: true, force: true });
});

async function replayOf(script: Parameters<typeof startReplayServer>[0]['script']): Promise<ReplayServer> {
  const replay = await startReplayServer({ script });
  replays.push(replay);
  return replay;
}

describe.concurrent('the CLI in a shell', () => {
  it('`ipo start 1.3 | head -c 1` ends quietly and the phase still finishes and is recorded', async () => {
    const repo = await createDemoRepo(join(root, 'piped'));
    const replay = await replayOf(await alignmentOnlyScript());
    const env = cliEnv(home, { ANTHROPIC_API_KEY: 'replay-test-key', ANTHROPIC_BASE_URL: replay.url });
    // bash reports each side's status; `head` leaves after one byte, so every later write of ipo meets EPIPE.
    const { stdout, stderr } = await exec(
      'bash',
      ['-c', `"${process.execPath}" "${IPO_BIN}" start 1.3 | head -c 1; echo " ipo-exit=\${PIPESTATUS[0]}"`],
      { cwd: repo, env, encoding: 'utf8' },
    );
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^S ipo-exit=0\n$/);
    const [session] = await listSessionIds(repo);
    const ledger = await readSessionLedger(repo, session ?? '');
    expect(ledger.status).toMatchObject({ kind: 'awaiting', gate: 'implementation' });
  });

  it('`ipo proceed commit` runs in a shell without ANTHROPIC_API_KEY: commit calls no model', async () => {
    const repo = await createDemoRepo(join(root, 'no-key'));
    const replay = await replayOf(await loadScript(DEMO_SCRIPT));
    const withKey = cliEnv(home, { ANTHROPIC_API_KEY: 'replay-test-key', ANTHROPIC_BASE_URL: replay.url });
    for (const args of [
      ['start', '1.3'],
      ['proceed', 'implementation'],
      ['proceed', 'verification'],
    ]) {
      expect(await runIpo(args, repo, withKey)).toMatchObject({ code: 0, stderr: '' });
    }
    const committed = await runIpo(['proceed', 'commit'], repo, cliEnv(home));
    expect(committed).toMatchObject({ code: 0, stderr: '' });
    expect(committed.stdout).toContain('✓ commit attempt 1 succeeded');
    const [session] = await listSessionIds(repo);
    expect((await readSessionLedger(repo, session ?? '')).status.kind).toBe('complete');
  });

  it('a corrupt session.json of an old session does not block `ipo start`: it is named and skipped', async () => {
    const repo = await createDemoRepo(join(root, 'corrupt'));
    const first = await replayOf(await alignmentOnlyScript());
    const env1 = cliEnv(home, { ANTHROPIC_API_KEY: 'replay-test-key', ANTHROPIC_BASE_URL: first.url });
    expect(await runIpo(['start', '1.3'], repo, env1)).toMatchObject({ code: 0, stderr: '' });
    const [old] = await listSessionIds(repo);
    await writeFile(join(sessionDir(repo, old ?? ''), 'session.json'), '{"truncated":');
    const second = await replayOf(await alignmentOnlyScript());
    const env2 = cliEnv(home, { ANTHROPIC_API_KEY: 'replay-test-key', ANTHROPIC_BASE_URL: second.url });
    const again = await runIpo(['start', '1.3'], repo, env2);
    expect(again).toMatchObject({ code: 0, stderr: '' });
    expect(again.stdout).toContain(`Warning: session ${old} cannot be read and was skipped`);
    expect(await listSessionIds(repo)).toEqual([old, `${old}-2`]);
  });

  it('`ipo cancel` works while the config on the base branch is broken', async () => {
    const repo = await createDemoRepo(join(root, 'broken-config'));
    const replay = await replayOf(await alignmentOnlyScript());
    const env = cliEnv(home, { ANTHROPIC_API_KEY: 'replay-test-key', ANTHROPIC_BASE_URL: replay.url });
    expect(await runIpo(['start', '1.3'], repo, env)).toMatchObject({ code: 0, stderr: '' });
    await mkdir(join(repo, '.github'), { recursive: true });
    await writeFile(join(repo, '.github/ipo.yml'), 'verfication: [\n');
    await gitIn(repo, ['add', '.github/ipo.yml']);
    await gitIn(repo, ['commit', '--quiet', '-m', 'broken config']);
    const refused = await runIpo(['proceed', 'implementation'], repo, env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('.github/ipo.yml');
    const cancelled = await runIpo(['cancel'], repo, cliEnv(home));
    expect(cancelled).toMatchObject({ code: 0, stderr: '' });
    const [session] = await listSessionIds(repo);
    expect((await readSessionLedger(repo, session ?? '')).status.kind).toBe('cancelled');
  });

  it('`ipo start` says which uncommitted changes the session leaves out', async () => {
    const repo = await createDemoRepo(join(root, 'dirty'));
    await writeFile(join(repo, 'src/median.js'), 'export const median = () => 0;\n');
    const replay = await replayOf(await alignmentOnlyScript());
    const env = cliEnv(home, { ANTHROPIC_API_KEY: 'replay-test-key', ANTHROPIC_BASE_URL: replay.url });
    const started = await runIpo(['start', '1.3'], repo, env);
    expect(started).toMatchObject({ code: 0, stderr: '' });
    expect(started.stdout).toMatch(
      /Note: your uncommitted changes \(src\/median\.js\) are not part of the session: it starts from main at [0-9a-f]{7}\./,
    );
  });
});
