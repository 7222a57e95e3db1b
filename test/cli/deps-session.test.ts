import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { printReport } from '../../src/cli/commands/session-commands.ts';
import { sessionDir } from '../../src/state/artifact-store.ts';
import { depsScript, prepareDepsRepo } from '../support/deps-repo.ts';
import { useSessionHarness } from './session-harness.ts';

const exec = promisify(execFile);
const harness = useSessionHarness(prepareDepsRepo);

describe('ipo on a repository whose tests need an install (package-lock.json, no .gitignore)', () => {
  it('runs `npm ci` before the agent and the checks, completes all four phases, and never commits node_modules', async () => {
    const h = await harness(await depsScript());
    const started = await h.start();
    expect(started.runs.map((r) => `${r.phase}:${r.outcome}`)).toEqual(['alignment:succeeded']);
    const implemented = await h.give({ name: 'proceed', phase: 'implementation' });
    expect(
      implemented.runs.map((r) => `${r.phase}:${r.outcome}`),
      implemented.runs[0]?.message,
    ).toEqual(['implementation:succeeded']);
    // The agent's own `npm test` passed (the replay expects "exit code 0"): tiny-runner was installed for it.
    expect(implemented.runs[0]?.setup).toMatchObject({
      source: 'auto: package-lock.json',
      commands: [{ command: 'npm ci --no-audit --no-fund', kind: 'passed' }],
      untracked: ['node_modules/'],
    });
    const verified = await h.give({ name: 'proceed', phase: 'verification' });
    expect(
      verified.runs.map((r) => `${r.phase}:${r.outcome}`),
      verified.runs[0]?.message,
    ).toEqual(['verification:succeeded']);
    const done = await h.give({ name: 'proceed', phase: 'commit' });
    expect(done.ledger.status).toEqual({ kind: 'complete' });

    const dir = sessionDir(h.repo, done.session);
    const verification = JSON.parse(await readFile(join(dir, 'verification.json'), 'utf8'));
    expect(verification.body.setup.commands).toEqual([
      expect.objectContaining({ command: 'npm ci --no-audit --no-fund', exitCode: 0, kind: 'passed' }),
    ]);
    expect(verification.body.checks).toEqual([
      expect.objectContaining({ command: 'npm test', exitCode: 0, kind: 'passed' }),
    ]);
    const implementation = JSON.parse(await readFile(join(dir, 'implementation.json'), 'utf8'));
    expect(implementation.body.filesChanged.map((f: { path: string }) => f.path)).toEqual(['src/median.js']);
    const tree = await exec('git', ['ls-tree', '-r', '--name-only', done.ledger.branch], { cwd: h.repo });
    expect(tree.stdout).not.toContain('node_modules');
    // What `ipo proceed implementation` prints for that run.
    const printed: string[] = [];
    const io = { out: (t: string) => printed.push(t), err: (t: string) => printed.push(t), isTTY: false };
    printReport({ io, env: {}, cwd: h.repo }, implemented);
    expect(printed.join('')).toMatch(
      /✓ implementation attempt 1 succeeded\n {2}set-up: npm ci --no-audit --no-fund passed in \S+ \S*\s?\(auto: package-lock\.json; network: none; kept out of commits: node_modules\/\)\n/,
    );
  }, 240_000);
});
