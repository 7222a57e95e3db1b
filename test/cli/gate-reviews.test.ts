import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCRIPT } from '../../src/cli/commands/demo.ts';
import { readSessionLedger } from '../../src/local/read-session-ledger.ts';
import { loadScript } from '../../src/replay/load-script.ts';
import { type ReplayServer, startReplayServer } from '../../src/replay/replay-server.ts';
import type { ReplayScript } from '../../src/replay/script-schema.ts';
import { listSessionIds } from '../../src/state/artifact-store.ts';
import { alignmentOnlyScript, cliEnv, createDemoRepo, runIpo } from './cli-fixtures.ts';

// What a person sees at each gate of a real `ipo` process, and what a failed model call tells them.

let root: string;
let home: string;
const replays: ReplayServer[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ipo-gates-'));
  home = join(root, 'home');
  await mkdir(home);
});
afterAll(async () => {
  await Promise.all(replays.map((r) => r.close()));
  await rm(root, { recursive: true, force: true });
});

async function replayOf(script: ReplayScript): Promise<ReplayServer> {
  const server = await startReplayServer({ script });
  replays.push(server);
  return server;
}

const envFor = (replay: ReplayServer) =>
  cliEnv(home, {
    ANTHROPIC_API_KEY: 'replay-test-key',
    ANTHROPIC_BASE_URL: replay.url,
    IPO_MODEL_OVERLOAD_WAIT_S: '0',
  });

describe('ipo shows what each gate approves', () => {
  it('the criteria after start, files and exit codes after implementation, the verdict and evidence after verification', async () => {
    const repo = await createDemoRepo(join(root, 'gates'));
    const env = envFor(await replayOf(await loadScript(DEMO_SCRIPT)));

    const started = await runIpo(['start', '1.3'], repo, env);
    expect(started).toMatchObject({ code: 0, stderr: '' });
    expect(started.stdout).toContain('alignment #1, to review:');
    expect(started.stdout).toMatch(/verdict: aligned against \S+/);
    expect(started.stdout).toMatch(/\n {4}AC-1 \[(test|command|inspection)\] \S/);
    expect(started.stdout).toMatch(/\n {2}scope: files in /);

    const implemented = await runIpo(['proceed', 'implementation'], repo, env);
    expect(implemented).toMatchObject({ code: 0, stderr: '' });
    expect(implemented.stdout).toContain('implementation #1, to review:');
    expect(implemented.stdout).toMatch(/files:\n {4}(added|modified) +\S+ \+\d+ -\d+/);
    expect(implemented.stdout).toMatch(/commands:.*\n {4}exit \d+ \S/);
    expect(implemented.stdout).toMatch(/\n {2}summary: \S/);

    const verified = await runIpo(['proceed', 'verification'], repo, env);
    expect(verified).toMatchObject({ code: 0, stderr: '' });
    expect(verified.stdout).toContain('verification #1, to review:');
    expect(verified.stdout).toContain('verdict: pass');
    expect(verified.stdout).toMatch(/\n {4}AC-1 pass\n {6}(test|command|file) \S/);
    expect(verified.stdout).toMatch(/checks:\n {4}exit 0 \S/);

    // `ipo status` shows the same review of the latest run.
    const status = await runIpo(['status'], repo, env);
    expect(status.stdout).toContain('verification #1, to review:');
    expect(status.stdout).toContain('verdict: pass');
  }, 120_000);
});

describe('a failed model call says what to do, and the session waits for `ipo retry`', () => {
  async function failingAlignment(fault: { status: 401 | 404; message: string }): Promise<ReplayScript> {
    const script = await alignmentOnlyScript();
    const [alignment] = script.conversations;
    const first = alignment?.turns[0];
    if (!first) throw new Error('demo alignment has no turns');
    first.faults = [fault];
    return script;
  }

  it.each([
    {
      name: 'a wrong model id',
      fault: { status: 404 as const, message: 'model: claude-nope' },
      says: ['model API error 404: model: claude-nope.', '`defaultModel` in .github/ipo.yml'],
    },
    {
      name: 'a bad key',
      fault: { status: 401 as const, message: 'invalid x-api-key' },
      says: [
        'model API error 401: invalid x-api-key.',
        'ANTHROPIC_API_KEY in the environment of the `ipo` process',
      ],
    },
  ])(
    '$name: the failure line says what to do; `ipo retry alignment` then runs it',
    async ({ name, fault, says }) => {
      const repo = await createDemoRepo(join(root, name.replaceAll(' ', '-')));
      const env = envFor(await replayOf(await failingAlignment(fault)));
      const failed = await runIpo(['start', '1.3'], repo, env);
      expect(failed.code).toBe(1);
      const line = failed.stdout.split('\n').find((l) => l.startsWith('✗ alignment attempt 1 failed:')) ?? '';
      for (const text of says) expect(line).toContain(text);
      expect(line).not.toMatch(/retries|attempts/);
      expect(failed.stdout).toContain('`ipo retry alignment` runs alignment again');

      const retried = await runIpo(['retry', 'alignment'], repo, env);
      expect(retried).toMatchObject({ code: 0, stderr: '' });
      expect(retried.stdout).toContain('✓ alignment attempt 2 succeeded');
      const [session] = await listSessionIds(repo);
      expect((await readSessionLedger(repo, session ?? '')).status).toMatchObject({
        kind: 'awaiting',
        gate: 'implementation',
      });
    },
    60_000,
  );
});
