import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { depsScript, writeDepsRepo } from '../support/deps-repo.ts';
import { writeExampleSeed } from '../support/example-seed.ts';
import { type E2E, startE2E } from './e2e-harness.ts';

const exec = promisify(execFile);

describe('end to end on a local GitHub: a repository whose tests need an install', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E(await depsScript(), {}, (seed) => writeExampleSeed(seed, writeDepsRepo));
  }, 60_000);
  afterAll(async () => {
    await e?.close();
  });

  it('Given package-lock.json and no .gitignore, When every gate is opened, Then set-up runs in each job, all four phases succeed and node_modules is never pushed', async () => {
    await e.comment('maintainer', "I'm going to start implementation of phase 1.3");
    await e.comment('maintainer', 'proceed to implementation');
    await e.comment('maintainer', 'proceed to verification');
    await e.comment('maintainer', 'proceed to commit');
    expect(
      e.runner.records.map((r) => `${r.phase}:${r.conclusion}`),
      e.runner.records
        .map((r) => r.stdout)
        .join('\n')
        .slice(-4000),
    ).toEqual(['alignment:success', 'implementation:success', 'verification:success', 'commit:success']);
    const marker = await e.marker();
    expect(marker?.state).toEqual({ kind: 'complete' });
    const { stdout: tree } = await exec('git', [
      '--git-dir',
      e.github.gitDir(),
      'ls-tree',
      '-r',
      '--name-only',
      `ipo/${marker?.session}`,
    ]);
    expect(tree).toContain('src/median.js');
    expect(tree).not.toContain('node_modules');
    // The verification job's summary shows the set-up it ran before the checks.
    const verification = e.runner.records.find((r) => r.phase === 'verification');
    expect(verification?.summary).toMatch(/\*\*Set-up:\*\* npm ci --no-audit --no-fund passed in/);
  }, 300_000);
});
