import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCRIPT } from '../../src/cli/commands/demo.ts';
import { loadScript } from '../../src/replay/load-script.ts';
import type { ReplayScript } from '../../src/replay/script-schema.ts';
import { commitFiles } from '../support/github/commit-files.ts';
import { type E2E, OWNER, REPO, startE2E } from './e2e-harness.ts';

const START = "I'm going to start implementation of phase 1.3";
const outcomes = (e: E2E) => e.runner.records.map((r) => `${r.phase}#${r.attempt}:${r.conclusion}`);

describe('Given a job that crashes, and a state artifact altered between runs', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E(await loadScript(DEMO_SCRIPT));
    await e.comment('maintainer', START);
  }, 120_000);
  afterAll(async () => {
    await e?.close();
  });

  it('When the implementation runner is lost, Then the issue says so and offers `retry implementation`', async () => {
    e.runner.crashNext('implementation');
    await e.comment('maintainer', 'proceed to implementation');
    expect(outcomes(e)).toEqual(['alignment#1:success', 'implementation#1:failure']);
    expect((await e.marker())?.state).toMatchObject({ kind: 'failed', phase: 'implementation', attempt: 1 });
    const last = e.comments().at(-1)?.body ?? '';
    expect(last).toContain('implementation attempt 1 failed');
    expect(last).toContain('`retry implementation`');
  }, 120_000);

  it('When the app restarts and a maintainer says `retry implementation`, and GitHub answers 502 to the PR the job opens, Then the new instance dispatches attempt 2, which succeeds with one PR', async () => {
    await e.restartApp();
    // GitHub created the PR but the answer was lost: the job's retry must find it, not fail a finished phase.
    e.github.failNext({
      method: 'POST',
      path: `/repos/${OWNER}/${REPO}/pulls`,
      status: 502,
      afterHandling: true,
    });
    await e.comment('maintainer', 'retry implementation');
    expect(outcomes(e).at(-1)).toBe('implementation#2:success');
    expect(e.github.pendingFaults()).toBe(0);
    expect(e.github.state.pulls).toHaveLength(1);
    expect((await e.marker())?.state).toMatchObject({ kind: 'awaiting', gate: 'verification' });
  }, 120_000);

  it('When alignment.json is altered before verification, Then the job refuses before any model call', async () => {
    const before = e.replay.requests.length;
    e.runner.beforeNext('verification', async (dir) => {
      const file = join(dir, 'alignment.json');
      await writeFile(file, (await readFile(file, 'utf8')).replace('"src/median.js"', '"src/**"'));
    });
    await e.comment('writer', 'proceed to verification');
    const run = e.runner.records.at(-1);
    expect(run?.conclusion).toBe('failure');
    expect(run?.stdout).toContain('alignment.json was modified after it was recorded');
    expect(e.replay.requests.length).toBe(before);
    expect((await e.marker())?.state).toMatchObject({ kind: 'failed', phase: 'verification' });
  }, 120_000);

  it("When the agent job's verification artifact is altered after it ran, Then the write job refuses it and records a failure", async () => {
    e.runner.beforeNextWrite('verification', async (dir) => {
      const file = join(dir, 'verification.json');
      await writeFile(file, (await readFile(file, 'utf8')).replace('"verdict": "pass"', '"verdict": "fail"'));
    });
    // After the refusal before this: verification failed, so it is retried.
    await e.comment('writer', 'retry verification');
    const run = e.runner.records.at(-1);
    expect(run?.conclusion).toBe('failure');
    expect(run?.stdout).toMatch(
      /::error::verification failed: the write job refused the agent job's output: verification\.json/,
    );
    expect((await e.marker())?.state).toMatchObject({ kind: 'failed', phase: 'verification' });
  }, 120_000);
});

describe('Given the model API is overloaded, the app restarts, and someone pushes to the session branch', () => {
  let e: E2E;
  beforeAll(async () => {
    const script: ReplayScript = await loadScript(DEMO_SCRIPT);
    const implementation = script.conversations.find((c) => c.name === 'implementation');
    const first = implementation?.turns[0];
    if (!first) throw new Error('demo script without implementation');
    first.faults = Array.from({ length: 5 }, () => ({
      status: 529 as const,
      retryAfterSeconds: 0.01,
      message: 'Overloaded (replayed)',
    }));
    e = await startE2E(script);
    await e.comment('maintainer', START);
  }, 120_000);
  afterAll(async () => {
    await e?.close();
  });

  it('When 529 outlasts the retries, Then the phase fails with the API message, and a retry succeeds', async () => {
    await e.comment('maintainer', 'proceed to implementation');
    expect(outcomes(e).at(-1)).toBe('implementation#1:failure');
    const failed = await e.marker();
    expect(failed?.state).toMatchObject({
      kind: 'failed',
      error:
        'model API error 529 after 5 attempts: Overloaded (replayed). The API is failing or overloaded: try again later.',
    });
    expect(e.comments().at(-1)?.body).toContain(
      'model API error 529 after 5 attempts: Overloaded (replayed). The API is failing or overloaded: try again later.',
    );
    await e.comment('maintainer', 'retry implementation');
    expect(outcomes(e).at(-1)).toBe('implementation#2:success');
  }, 180_000);

  it('When the app restarts between phases, Then the new instance continues the session', async () => {
    await e.restartApp();
    const marker = await e.marker();
    expect(marker?.state).toMatchObject({ kind: 'awaiting', gate: 'verification' });
  });

  it('When the session branch moved after implementation, Then `proceed to verification` is refused as stale', async () => {
    const marker = await e.marker();
    await commitFiles(
      e.github.gitDir(),
      `ipo/${marker?.session}`,
      { 'src/median.js': '// hand edit\n' },
      { message: 'hand edit' },
    );
    const runsBefore = e.runner.records.length;
    await e.comment('writer', 'proceed to verification');
    expect(e.runner.records.length).toBe(runsBefore);
    expect(e.comments().at(-1)?.body).toMatch(/@writer .*moved since implementation finished/);
  }, 60_000);
});

describe('Given an app killed between claiming an approval and dispatching it', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E(await loadScript(DEMO_SCRIPT));
    await e.comment('maintainer', START);
  }, 120_000);
  afterAll(async () => {
    await e?.close();
  });

  it('When a maintainer says the phrase again to the restarted app, Then it is carried out once and the session goes on', async () => {
    const marker = await e.marker();
    const repo = e.github.state.repo(OWNER, REPO);
    const base = marker?.bases.alignment;
    if (!marker || !repo || !base) throw new Error('alignment left no marker');
    // What the killed instance left behind: its claims on the comment and on the session's version, nothing else.
    const killed = e.github.createComment(e.issue, { user: 'maintainer', body: 'proceed to implementation' });
    await repo.git.createRef(`refs/ipo/claims/comments/${killed.id}`, base);
    await repo.git.createRef(`refs/ipo/claims/${marker.session}/v${marker.version}`, base);
    await e.restartApp();

    await e.comment('maintainer', 'proceed to implementation');

    expect(outcomes(e)).toEqual(['alignment#1:success', 'implementation#1:success']);
    expect((await e.marker())?.state).toMatchObject({ kind: 'awaiting', gate: 'verification' });
    const claims = (await repo.git.refs()).map((r) => r.ref).filter((r) => r.includes(`/${marker.session}/`));
    expect(claims).toContain(`refs/ipo/claims/${marker.session}/v${marker.version}.1`);
  }, 180_000);
});
