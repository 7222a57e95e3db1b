import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoResult, demoSession } from '../../src/cli/commands/demo.ts';
import { sessionDir } from '../../src/state/artifact-store.ts';
import { digest } from '../../src/state/digest.ts';
import type { Ledger } from '../../src/state/ledger.ts';
import { schemaValidator } from '../support/ajv.ts';

const run = promisify(execFile);
const SCHEMAS = join(import.meta.dirname, '../../schemas');

describe('ipo demo: a whole session, every phase in its own process', () => {
  let result: DemoResult;
  let dir: string;
  let cache: string;
  let ledger: Ledger;
  const output: string[] = [];

  beforeAll(async () => {
    const io = { out: (t: string) => output.push(t), err: (t: string) => output.push(t), isTTY: false };
    cache = await mkdtemp(join(tmpdir(), 'ipo-demo-cache-'));
    result = await demoSession(
      io,
      { PATH: process.env.PATH, HOME: process.env.HOME, XDG_CACHE_HOME: cache },
      {},
    );
    dir = sessionDir(result.repo, result.session);
    ledger = JSON.parse(await readFile(join(dir, 'session.json'), 'utf8')) as Ledger;
  }, 180_000);
  afterAll(async () => {
    if (result) await rm(result.repo, { recursive: true, force: true });
    await rm(cache, { recursive: true, force: true });
  });

  it('completes with exit code 0, says the responses are replayed, and prints the final commit', () => {
    const text = output.join('');
    expect(result.exitCode).toBe(0);
    expect(text).toMatch(/REPLAYED/);
    expect(text).toContain('> proceed to implementation    (typed for you)');
    expect(text).toContain('feat: add `median`');
    expect(ledger.status).toEqual({ kind: 'complete' });
  });

  it('writes every artifact and the ledger so that they validate against schemas/*.json (ajv)', async () => {
    const ajv = schemaValidator();
    for (const name of ['alignment', 'implementation', 'verification', 'commit', 'ledger']) {
      const schema = JSON.parse(await readFile(join(SCHEMAS, `${name}.json`), 'utf8'));
      const file = name === 'ledger' ? 'session.json' : `${name}.json`;
      const document = JSON.parse(await readFile(join(dir, file), 'utf8'));
      const validate = ajv.compile(schema);
      expect(validate(document), `${file}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
  });

  it('records in the ledger the digest of every artifact, and chains each input to it', async () => {
    for (const phase of ['alignment', 'implementation', 'verification', 'commit'] as const) {
      const artifact = JSON.parse(await readFile(join(dir, `${phase}.json`), 'utf8'));
      expect(ledger.digests[phase]).toBe(digest(artifact));
      for (const input of artifact.inputs as { name: string; sha256: string }[]) {
        const inputPhase = input.name.replace('.json', '') as keyof Ledger['digests'];
        expect(input.sha256).toBe(ledger.digests[inputPhase]);
      }
    }
    expect(ledger.runs.map((r) => `${r.phase}#${r.attempt}:${r.status}`)).toEqual([
      'alignment#1:succeeded',
      'implementation#1:succeeded',
      'verification#1:succeeded',
      'commit#1:succeeded',
    ]);
  });

  it('binds each approval to the approved artifact digest and branch head', () => {
    expect(ledger.approvals.map((a) => [a.gate, a.approver])).toEqual([
      ['implementation', 'demo-maintainer'],
      ['verification', 'demo-maintainer'],
      ['commit', 'demo-maintainer'],
    ]);
    expect(ledger.approvals.map((a) => a.approvedDigest)).toEqual([
      ledger.digests.alignment,
      ledger.digests.implementation,
      ledger.digests.verification,
    ]);
    const implementationRun = ledger.runs.find((r) => r.phase === 'implementation');
    expect(ledger.approvals[1]?.branchHead).toBe(implementationRun?.headSha);
  });

  it('squashes the session into one commit whose trailers git itself parses', async () => {
    const { stdout: count } = await run('git', ['rev-list', '--count', `main..${ledger.branch}`], {
      cwd: result.repo,
    });
    expect(count.trim()).toBe('1');
    const { stdout: message } = await run('git', ['log', '-1', '--format=%B', ledger.branch], {
      cwd: result.repo,
    });
    const child = run('git', ['interpret-trailers', '--parse'], { cwd: result.repo });
    child.child.stdin?.end(message);
    const { stdout: trailers } = await child;
    expect(trailers.trim().split('\n')).toEqual([
      `Ipo-Session: ${result.session}`,
      'Ipo-Task: 1.3',
      'Ipo-Verification: 5/5 criteria pass',
      'Approved-by: demo-maintainer (proceed to implementation)',
      'Approved-by: demo-maintainer (proceed to verification)',
      'Approved-by: demo-maintainer (proceed to commit)',
      'Assisted-by: claude-sonnet-5-5',
    ]);
    expect(message).not.toMatch(/Signed-off-by/i);
  });

  it("really changed the example's code: its tests fail on main and pass on the session branch", async () => {
    const verification = JSON.parse(await readFile(join(dir, 'verification.json'), 'utf8'));
    expect(verification.body.checks).toEqual([
      expect.objectContaining({ command: 'npm test', exitCode: 0, kind: 'passed' }),
    ]);
    const testIn = async (ref: string) => {
      const checkout = join(result.repo, '..', `${result.session}-check-${ref.replace(/\W/g, '-')}`);
      await run('git', ['worktree', 'add', '--quiet', '--detach', checkout, ref], { cwd: result.repo });
      try {
        return await run(process.execPath, ['--test'], {
          cwd: checkout,
          env: { PATH: process.env.PATH },
        }).then(
          () => 0,
          (e: { code: number }) => e.code,
        );
      } finally {
        await run('git', ['worktree', 'remove', '--force', checkout], { cwd: result.repo });
      }
    };
    expect(await testIn('main')).not.toBe(0);
    expect(await testIn(ledger.branch)).toBe(0);
  });

  it('keeps transcripts apart from artifacts and leaves nothing of ipo in `git status`, no worktree either', async () => {
    expect((await readdir(join(dir, 'transcripts'))).sort()).toEqual([
      'alignment-1.json',
      'implementation-1.json',
      'verification-1.json',
    ]);
    const { stdout } = await run('git', ['status', '--porcelain', '--untracked-files=all'], {
      cwd: result.repo,
    });
    expect(stdout).toBe('');
    const worktrees = await run('git', ['worktree', 'list', '--porcelain'], { cwd: result.repo });
    expect(worktrees.stdout.match(/^worktree /gm)).toHaveLength(1);
    // And the cache holds nothing of it any more.
    expect(await readdir(join(cache, 'isolated-phase-orchestrator/worktrees'))).toEqual([]);
  });
});
