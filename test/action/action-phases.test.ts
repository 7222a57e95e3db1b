import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCRIPT } from '../../src/cli/commands/demo.ts';
import { formatSessionId } from '../../src/core/session/session-id.ts';
import { parseStatusMarker } from '../../src/github/status-marker.ts';
import { loadScript } from '../../src/replay/load-script.ts';
import type { Ledger } from '../../src/state/ledger.ts';
import {
  type ActionHarness,
  type ActionRun,
  createSessionBranch,
  startActionHarness,
} from './action-harness.ts';

const exec = promisify(execFile);
// Today's: the job checks that the start comment was made on the session's day.
const SESSION = formatSessionId('1.3', new Date());

describe('the Action: each phase through dist/index.js on a fresh "runner", artifacts handed between runs', () => {
  let h: ActionHarness;
  const runs: Record<string, ActionRun> = {};
  let base: string;
  let requestsBeforeTamper = 0;

  beforeAll(async () => {
    h = await startActionHarness(await loadScript(DEMO_SCRIPT));
    base = await createSessionBranch(h, SESSION);
    // Each command is a comment made after the phase before it finished, as a person would.
    runs.alignment = await h.runPhase({
      phase: 'alignment',
      session: SESSION,
      approvedSha: base,
      commentId: h.comment('maintainer', "I'm going to start implementation of phase 1.3"),
    });
    runs.implementation = await h.runPhase({
      phase: 'implementation',
      session: SESSION,
      approvedSha: base,
      stateFrom: runs.alignment.outDir,
      commentId: h.comment('maintainer', 'proceed to implementation'),
    });
    runs.verification = await h.runPhase({
      phase: 'verification',
      session: SESSION,
      approvedSha: runs.implementation.outputs['head-sha'],
      stateFrom: runs.implementation.outDir,
      commentId: h.comment('writer', 'Looks right.\n\nproceed to verification'),
    });
    const proceedToCommit = h.comment('maintainer', 'proceed to commit');
    requestsBeforeTamper = h.replay.requests.length;
    runs.tampered = await h.runPhase({
      phase: 'commit',
      session: SESSION,
      approvedSha: runs.verification.outputs['head-sha'],
      stateFrom: runs.verification.outDir,
      commentId: proceedToCommit,
      tamper: async (dir) => {
        const file = join(dir, 'alignment.json');
        await writeFile(file, (await readFile(file, 'utf8')).replace('"aligned"', '"misaligned"'));
      },
    });
    runs.ledgerEdited = await h.runPhase({
      phase: 'commit',
      session: SESSION,
      approvedSha: runs.verification.outputs['head-sha'],
      stateFrom: runs.verification.outDir,
      commentId: proceedToCommit,
      tamper: async (dir) => {
        const file = join(dir, 'session.json');
        await writeFile(
          file,
          (await readFile(file, 'utf8')).replace('"startedBy": "maintainer"', '"startedBy": "mallory"'),
        );
      },
    });
    runs.commit = await h.runPhase({
      phase: 'commit',
      session: SESSION,
      approvedSha: runs.verification.outputs['head-sha'],
      stateFrom: runs.verification.outDir,
      commentId: proceedToCommit,
    });
  }, 240_000);
  afterAll(async () => {
    await h?.close();
  });

  it.each(['alignment', 'implementation', 'verification', 'commit'])(
    '%s succeeds and sets its outputs',
    (phase) => {
      const run = runs[phase];
      expect(run?.exitCode, `${run?.stderr}${run?.stdout}`).toBe(0);
      expect(run?.outputs).toMatchObject({
        status: 'succeeded',
        session: SESSION,
        'artifact-name': `ipo-${SESSION}-${phase}-1`,
      });
      expect(run?.outputs['head-sha']).toMatch(/^[0-9a-f]{40}$/);
    },
  );

  it('reports verdicts and token figures', () => {
    expect(runs.alignment?.outputs.verdict).toBe('aligned');
    expect(runs.verification?.outputs.verdict).toBe('pass');
    expect(Number(runs.implementation?.outputs['input-tokens'])).toBeGreaterThan(1000);
    expect(Number(runs.implementation?.outputs['output-tokens'])).toBeGreaterThan(0);
    expect(Number(runs.implementation?.outputs['cost-usd'])).toBeGreaterThan(0);
    expect(runs.commit?.outputs['input-tokens']).toBe('0');
  });

  it('carries every artifact forward and records the approvals in the ledger', async () => {
    const ledger = JSON.parse(
      await readFile(join(runs.commit?.outDir ?? '', 'session.json'), 'utf8'),
    ) as Ledger;
    expect(ledger.status).toEqual({ kind: 'complete' });
    expect(ledger.approvals.map((a) => `${a.gate}:${a.approver}`)).toEqual([
      'implementation:maintainer',
      'verification:writer',
      'commit:maintainer',
    ]);
    for (const phase of ['alignment', 'implementation', 'verification', 'commit']) {
      expect(ledger.digests[phase as keyof Ledger['digests']]).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('pushes the implementation to a draft PR, then the squashed commit, and marks the PR ready', async () => {
    const pulls = h.github.state.pulls;
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toMatchObject({ head: `ipo/${SESSION}`, draft: false });
    const head = runs.commit?.outputs['head-sha'] ?? '';
    const { stdout } = await exec('git', ['--git-dir', h.github.gitDir(), 'log', '-1', '--format=%B', head]);
    expect(stdout).toContain('feat: add `median`');
    expect(stdout).toContain('Approved-by: maintainer (proceed to commit)');
    const { stdout: count } = await exec('git', [
      '--git-dir',
      h.github.gitDir(),
      'rev-list',
      '--count',
      `main..ipo/${SESSION}`,
    ]);
    expect(count.trim()).toBe('1');
  });

  it('keeps one sticky status comment with a marker that matches the final ledger', async () => {
    const comments = h.github.state.comments;
    const sticky = comments.filter((c) => c.body.includes('ipo:status'));
    expect(sticky).toHaveLength(1);
    const marker = parseStatusMarker(sticky[0]?.body ?? '');
    expect(marker?.session).toBe(SESSION);
    expect(marker?.state).toEqual({ kind: 'complete' });
    expect(marker?.runs?.map((r) => r.phase)).toEqual([
      'alignment',
      'implementation',
      'verification',
      'commit',
    ]);
  });

  it('writes a job summary with the session diagram and the acceptance-criteria table', () => {
    expect(runs.verification?.summary).toContain('```mermaid');
    expect(runs.verification?.summary).toMatch(/AC-5/);
  });

  it('refuses a tampered state before any model call, naming the artifact, and changes nothing remote', () => {
    const run = runs.tampered;
    expect(run?.exitCode).not.toBe(0);
    expect(run?.stdout).toMatch(/::error::alignment\.json was modified after it was recorded/);
    expect(run?.outputs.status).toBeUndefined();
    expect(h.replay.requests.length).toBe(requestsBeforeTamper);
  });

  it('refuses a ledger that disagrees with the status comment, even when its own schema holds', () => {
    const run = runs.ledgerEdited;
    expect(run?.exitCode).not.toBe(0);
    expect(run?.stdout).toMatch(
      /::error::session\.json does not match the ledger recorded in the status comment/,
    );
    expect(h.replay.requests.length).toBe(requestsBeforeTamper);
  });

  it('fails clearly when required inputs are missing', async () => {
    const run = await h.runPhase({
      phase: 'alignment',
      session: SESSION,
      commentId: 1,
      omitInputs: ['session', 'anthropic-api-key'],
    });
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).toMatch(
      /::error::invalid inputs: input session is required; input anthropic-api-key is required/,
    );
  });
});
