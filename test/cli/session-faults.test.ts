import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Conversation, ReplayScript } from '../../src/replay/script-schema.ts';
import { sessionDir } from '../../src/state/artifact-store.ts';
import type { Ledger } from '../../src/state/ledger.ts';
import { demoConversations, useSessionHarness } from './session-harness.ts';

const run = promisify(execFile);
const script = (...conversations: Conversation[]): ReplayScript => ({ version: 1, conversations });

/** The implementation conversation with its write_file content replaced (e.g. by a buggy median). */
function withMedianSource(conversation: Conversation, source: string, name: string): Conversation {
  const copy = structuredClone(conversation);
  copy.name = name;
  for (const turn of copy.turns) {
    for (const block of turn.response.content) {
      if (block.type === 'tool_use' && block.name === 'write_file')
        (block.input as { content: string }).content = source;
    }
    if (turn.expect?.contains?.includes('exit code 0')) turn.expect.contains = [];
  }
  return copy;
}

const BUGGY_MEDIAN = `import { assertNumbers } from './validate.js';

export function median(values) {
  assertNumbers('median', values);
  const sorted = [...values].sort();
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
`;

describe('local sessions: isolation, failures, retry and rollback', () => {
  const harness = useSessionHarness();

  it('a phase cannot read undeclared artifacts or earlier transcripts, and its prompt holds nothing from them', async () => {
    const demo = await demoConversations();
    const implementation = structuredClone(demo.implementation);
    const probe = (id: string, path: string) => ({
      type: 'tool_use' as const,
      id,
      name: 'read_file',
      input: { path },
    });
    const first = implementation.turns[0];
    if (!first) throw new Error('demo implementation has no turns');
    // From the phase's worktree (<root>/cache/isolated-phase-orchestrator/worktrees/<repo id>/<run>) to the repository.
    const s = `../../../../../repo/.isolated-phase-orchestrator/sessions/phase-1.3-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`;
    implementation.turns.unshift({
      expect: { contains: ['AC-1'], notContains: ['working note'] },
      response: {
        content: [
          probe('toolu_probe_1', `${s}/transcripts/alignment-1.json`),
          probe('toolu_probe_2', `${s}/alignment.json`),
          probe('toolu_probe_3', `${s}/session.json`),
        ],
      },
    });
    first.expect = {
      lastToolResultFor: 'toolu_probe_3',
      lastToolResultIsError: true,
      notContains: ['working note', 'Reading §4'],
    };
    const h = await harness(script(demo.alignment, implementation));
    const started = await h.start();
    const report = await h.give({ name: 'proceed', phase: 'implementation' }, started.session);
    expect(report.runs[0]?.outcome).toBe('succeeded');
    const probes = h.replay.requests
      .map((r) => JSON.stringify(r.body))
      .find((body) => body.includes('toolu_probe_3') && body.includes('tool_result'));
    expect(probes?.match(/Refused path/g)).toHaveLength(3);
    // The alignment transcript exists in the session directory; the implementation phase saw none of it.
    const transcript = await readFile(
      join(sessionDir(h.repo, started.session), 'transcripts/alignment-1.json'),
      'utf8',
    );
    expect(transcript).toContain('working note');
    const implementationRequests = h.replay.requests.filter(
      (r) => r.match?.conversation === 'implementation',
    );
    expect(implementationRequests.length).toBeGreaterThan(0);
    for (const request of implementationRequests)
      expect(JSON.stringify(request.body)).not.toContain('compare with mean.js validation');
  });

  it('a verification that fails on the model API (529 until retries run out) can be retried to success', async () => {
    const demo = await demoConversations();
    const verification = structuredClone(demo.verification);
    const overloaded = { status: 529 as const, retryAfterSeconds: 0.01, message: 'Overloaded (replayed)' };
    const firstTurn = verification.turns[0];
    if (!firstTurn) throw new Error('demo verification has no turns');
    firstTurn.faults = Array.from({ length: 5 }, () => overloaded);
    const h = await harness(script(demo.alignment, demo.implementation, verification));
    const { session } = await h.start();
    await h.give({ name: 'proceed', phase: 'implementation' }, session);
    const failed = await h.give({ name: 'proceed', phase: 'verification' }, session);
    expect(failed.runs[0]).toMatchObject({
      outcome: 'failed',
      message:
        'model API error 529 after 5 attempts: Overloaded (replayed). The API is failing or overloaded: try again later.',
    });
    expect(failed.ledger.status).toMatchObject({ kind: 'failed', phase: 'verification', attempt: 1 });

    const retried = await h.give(
      { name: 'retry', phase: 'verification', feedback: 'The API was overloaded; try again.' },
      session,
    );
    expect(retried.runs[0]).toMatchObject({ phase: 'verification', attempt: 2, outcome: 'succeeded' });
    expect(retried.ledger.status).toMatchObject({ kind: 'awaiting', gate: 'commit' });
    const done = await h.give({ name: 'proceed', phase: 'commit' }, session);
    expect(done.ledger.status).toEqual({ kind: 'complete' });
    expect(done.ledger.runs.map((r) => `${r.phase}#${r.attempt}:${r.status}`)).toContain(
      'verification#1:failed',
    );
  });

  it('a verification blocked by failing tests is fixed by rolling back implementation and implementing again', async () => {
    const demo = await demoConversations();
    const buggy = withMedianSource(demo.implementation, BUGGY_MEDIAN, 'implementation-buggy');
    const blockedReview = structuredClone(demo.verification);
    blockedReview.name = 'verification-blocked';
    const lastTurn = blockedReview.turns.at(-1);
    if (!lastTurn) throw new Error('demo verification has no turns');
    const submit = lastTurn.response.content.find((b) => b.type === 'tool_use' && b.name === 'submit_result');
    if (submit?.type !== 'tool_use') throw new Error('no submit_result');
    const criteria = (submit.input as { criteria: { id: string; status: string }[] }).criteria;
    for (const c of criteria) if (c.id === 'AC-3') c.status = 'fail';
    blockedReview.turns[0] = {
      ...blockedReview.turns[0],
      expect: { contains: ['test-failure'] },
    } as (typeof blockedReview.turns)[0];

    const h = await harness(
      script(demo.alignment, buggy, blockedReview, demo.implementation, demo.verification),
    );
    const { session } = await h.start();
    const base = (await run('git', ['rev-parse', `ipo/${session}`], { cwd: h.repo })).stdout.trim();
    await h.give({ name: 'proceed', phase: 'implementation' }, session);
    const blocked = await h.give({ name: 'proceed', phase: 'verification' }, session);
    expect(blocked.runs[0]?.outcome).toBe('blocked');
    expect(blocked.runs[0]?.message).toMatch(/check `npm test` failed/);
    expect(blocked.ledger.status).toMatchObject({ kind: 'blocked', phase: 'verification' });

    const rolledBack = await h.give({ name: 'rollback', phase: 'implementation' }, session);
    expect(rolledBack.ledger.status).toMatchObject({ kind: 'awaiting', gate: 'implementation' });
    expect((await run('git', ['rev-parse', `ipo/${session}`], { cwd: h.repo })).stdout.trim()).toBe(base);
    expect(rolledBack.ledger.digests.implementation).toBeUndefined();

    const again = await h.give({ name: 'proceed', phase: 'implementation' }, session);
    expect(again.runs[0]).toMatchObject({ attempt: 2, outcome: 'succeeded' });
    await h.give({ name: 'proceed', phase: 'verification' }, session);
    const done = await h.give({ name: 'proceed', phase: 'commit' }, session);
    const ledger: Ledger = done.ledger;
    expect(ledger.status).toEqual({ kind: 'complete' });
    const diff = (await run('git', ['diff', `main..ipo/${session}`], { cwd: h.repo })).stdout;
    expect(diff).toContain('(a, b) => a - b');
    expect(diff).not.toContain('.sort();');
    expect(ledger.events.map((e) => e.type)).toContain('rollback');
  });

  it('a verification blocked by failing tests is sent back to implementation with feedback, which the model reads', async () => {
    const demo = await demoConversations();
    const buggy = withMedianSource(demo.implementation, BUGGY_MEDIAN, 'implementation-buggy');
    const blockedReview = structuredClone(demo.verification);
    blockedReview.name = 'verification-blocked';
    const submit = blockedReview.turns
      .at(-1)
      ?.response.content.find((b) => b.type === 'tool_use' && b.name === 'submit_result');
    if (submit?.type !== 'tool_use') throw new Error('no submit_result');
    for (const c of (submit.input as { criteria: { id: string; status: string }[] }).criteria) {
      if (c.id === 'AC-3') c.status = 'fail';
    }
    blockedReview.turns[0] = {
      ...blockedReview.turns[0],
      expect: { contains: ['test-failure'] },
    } as (typeof blockedReview.turns)[0];
    // The second implementation must be told what verification found, in the person's own words.
    const fix = structuredClone(demo.implementation);
    fix.name = 'implementation-fix';
    const firstTurn = fix.turns[0];
    if (!firstTurn) throw new Error('demo implementation has no turns');
    firstTurn.expect = { contains: ['Feedback from the person who started this run', 'sort numerically'] };
    const approvalNotes = structuredClone(buggy);
    const approvalTurn = approvalNotes.turns[0];
    if (!approvalTurn) throw new Error('no turns');
    approvalTurn.expect = { contains: ['keep src/validate.js as it is'] };

    const h = await harness(script(demo.alignment, approvalNotes, blockedReview, fix, demo.verification));
    const { session } = await h.start();
    const first = await h.give(
      { name: 'proceed', phase: 'implementation', feedback: 'keep src/validate.js as it is' },
      session,
    );
    expect(first.runs[0]).toMatchObject({ attempt: 1, outcome: 'succeeded' });
    const blocked = await h.give({ name: 'proceed', phase: 'verification' }, session);
    expect(blocked.ledger.status).toMatchObject({ kind: 'blocked', phase: 'verification' });

    const sentBack = await h.give(
      { name: 'retry', phase: 'implementation', feedback: 'AC-3 fails: sort numerically, not as strings' },
      session,
    );
    expect(sentBack.runs[0]).toMatchObject({ phase: 'implementation', attempt: 2, outcome: 'succeeded' });
    expect(sentBack.ledger.status).toMatchObject({ kind: 'awaiting', gate: 'verification' });
    const verified = await h.give({ name: 'proceed', phase: 'verification' }, session);
    expect(verified.runs[0]).toMatchObject({ attempt: 2, outcome: 'succeeded' });
    const done = await h.give({ name: 'proceed', phase: 'commit' }, session);
    expect(done.ledger.status).toEqual({ kind: 'complete' });
    const diff = (await run('git', ['diff', `main..ipo/${session}`], { cwd: h.repo })).stdout;
    expect(diff).toContain('(a, b) => a - b');
    expect(h.replay.remaining()).toEqual([]);
  });

  it('a hand-edited alignment artifact fails implementation, and the command its message names is accepted and recovers', async () => {
    const demo = await demoConversations();
    const again = structuredClone(demo.alignment);
    again.name = 'alignment-again';
    const h = await harness(script(demo.alignment, again));
    const { session } = await h.start();
    const file = join(sessionDir(h.repo, session), 'alignment.json');
    await writeFile(file, (await readFile(file, 'utf8')).replace('"aligned"', '"misaligned"'));
    const failed = await h.give({ name: 'proceed', phase: 'implementation' }, session);
    const message = failed.runs[0]?.message ?? '';
    expect(failed.runs[0]?.outcome).toBe('failed');
    expect(message).toContain('alignment.json was modified after it was recorded');
    const advised = /say `(rollback alignment)`/.exec(message)?.[1];
    expect(advised).toBe('rollback alignment');
    const recovered = await h.give({ name: 'rollback', phase: 'alignment' }, session);
    expect(recovered.runs[0]).toMatchObject({ phase: 'alignment', attempt: 2, outcome: 'succeeded' });
    expect(recovered.ledger.status).toMatchObject({ kind: 'awaiting', gate: 'implementation' });
  });

  it("the squashed commit's subject is what the implementer said the change does, not the roadmap heading", async () => {
    const demo = await demoConversations();
    const implementation = structuredClone(demo.implementation);
    for (const turn of implementation.turns) {
      for (const block of turn.response.content) {
        if (block.type === 'tool_use' && block.name === 'submit_result') {
          (block.input as { commitSubject?: string }).commitSubject =
            'Compute the median of odd and even lists';
        }
      }
    }
    const h = await harness(script(demo.alignment, implementation, demo.verification));
    const { session } = await h.start();
    await h.give({ name: 'proceed', phase: 'implementation' }, session);
    await h.give({ name: 'proceed', phase: 'verification' }, session);
    const done = await h.give({ name: 'proceed', phase: 'commit' }, session);
    expect(done.ledger.status).toEqual({ kind: 'complete' });
    const subject = (
      await run('git', ['log', '-1', '--format=%s', `ipo/${session}`], { cwd: h.repo })
    ).stdout.trim();
    expect(subject).toBe('feat: compute the median of odd and even lists');
  });
});
