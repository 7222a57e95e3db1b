import { describe, expect, it } from 'vitest';
import type { Command } from '../../../src/core/commands/command.ts';
import { decide } from '../../../src/core/session/decide.ts';
import type { Decision } from '../../../src/core/session/decision.ts';
import {
  BASE,
  ctxFor,
  DIGEST,
  SESSION_ID,
  STARTER,
  STATE_LABELS,
  sessionFor,
  viewFor,
} from './session-fixtures.ts';

function accepted(decision: Decision): Extract<Decision, { kind: 'accept' }> {
  if (decision.kind !== 'accept') throw new Error(`expected accept, got refusal: ${decision.reason}`);
  return decision;
}
function refusal(decision: Decision): string {
  if (decision.kind !== 'refuse') throw new Error(`expected refusal, got accept: ${decision.message}`);
  return decision.reason;
}

describe('start', () => {
  it.each(['none', 'complete', 'cancelled'])(
    'in %s, creates a session and dispatches alignment attempt 1',
    (state) => {
      const decision = accepted(decide(viewFor(state), { name: 'start', taskId: '2.4' }, ctxFor('carol')));
      expect(decision.next).toEqual({ kind: 'running', phase: 'alignment', attempt: 1 });
      expect(decision.effects).toEqual([
        { type: 'create-session', taskId: '2.4', startedBy: 'carol' },
        { type: 'dispatch', phase: 'alignment', attempt: 1 },
      ]);
    },
  );

  it('refuses while the session is active, naming it and its state', () => {
    const reason = refusal(
      decide(viewFor('awaiting:verification'), { name: 'start', taskId: '2.4' }, ctxFor()),
    );
    expect(reason).toBe(
      'session phase-2.4-20261125 is still active (awaiting:verification); say `cancel session` first',
    );
  });

  it.each(['2.x', '', '2', '1.2.3.4'])('refuses the malformed task id %j', (taskId) => {
    expect(refusal(decide(undefined, { name: 'start', taskId }, ctxFor()))).toContain('is not a task id');
  });
});

describe('authorization', () => {
  const outsider = { actor: { login: 'eve', authorized: false }, requireDistinctApprover: false };
  const commands: Command[] = [
    { name: 'start', taskId: '2.4' },
    { name: 'proceed', phase: 'verification' },
    { name: 'retry', phase: 'verification' },
    { name: 'rollback', phase: 'implementation' },
    { name: 'cancel' },
  ];
  const cases = ['none', 'awaiting:verification', 'failed:verification', 'complete'].flatMap((state) =>
    commands.map((command) => ({ state, command })),
  );

  it.each(cases)('refuses $command.name from an unauthorized person in $state', ({ state, command }) => {
    const reason = refusal(decide(viewFor(state), command, outsider));
    expect(reason).toContain('@eve');
    expect(reason).toContain('write access');
    expect(reason).toContain('`approvers`');
  });

  it.each(STATE_LABELS)('answers `ipo status` for anyone in %s, changing nothing', (state) => {
    const decision = accepted(decide(viewFor(state), { name: 'status' }, outsider));
    expect(decision.next).toBeNull();
    expect(decision.effects).toEqual([{ type: 'report-status' }]);
  });
});

describe('proceed', () => {
  const proceed: Command = { name: 'proceed', phase: 'verification' };

  it('records the approval bound to digest and head, then dispatches from the approved head', () => {
    const session = sessionFor('awaiting:verification');
    const decision = accepted(decide(session, proceed, ctxFor('bob', { branchHead: BASE.verification })));
    expect(decision.next).toEqual({ kind: 'running', phase: 'verification', attempt: 1 });
    expect(decision.effects).toEqual([
      {
        type: 'record-approval',
        gate: 'verification',
        approver: 'bob',
        digest: DIGEST.implementation,
        head: BASE.verification,
      },
      { type: 'dispatch', phase: 'verification', attempt: 1, base: BASE.verification },
    ]);
  });

  it('numbers the attempt after those already made (a gate reopened by rollback)', () => {
    const session = sessionFor('awaiting:verification', {
      attempts: { alignment: 1, implementation: 1, verification: 2, commit: 0 },
    });
    const decision = accepted(decide(session, proceed, ctxFor()));
    expect(decision.next).toEqual({ kind: 'running', phase: 'verification', attempt: 3 });
  });

  it.each([
    { rule: true, login: STARTER, accepted: false },
    { rule: true, login: STARTER.toUpperCase(), accepted: false },
    { rule: true, login: 'bob', accepted: true },
    { rule: false, login: STARTER, accepted: true },
  ])(
    'with requireDistinctApprover=$rule, approval by $login is accepted: $accepted',
    ({ rule, login, accepted }) => {
      const ctx = ctxFor(login, { requireDistinctApprover: rule });
      const decision = decide(sessionFor('awaiting:verification'), proceed, ctx);
      expect(decision.kind).toBe(accepted ? 'accept' : 'refuse');
      if (decision.kind === 'refuse') {
        expect(decision.reason).toContain('requireDistinctApprover');
        expect(decision.reason).toContain('another authorized person');
      }
    },
  );

  it.each([
    { branchHead: undefined, accepted: true },
    { branchHead: BASE.verification, accepted: true },
    { branchHead: '9999999eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee', accepted: false },
  ])('with the branch at $branchHead, approval is accepted: $accepted', ({ branchHead, accepted }) => {
    const decision = decide(sessionFor('awaiting:verification'), proceed, ctxFor('bob', { branchHead }));
    expect(decision.kind).toBe(accepted ? 'accept' : 'refuse');
  });

  it('refuses a stale approval, showing how the branch moved and how to reset it', () => {
    const ctx = ctxFor('bob', { branchHead: '9999999eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee' });
    const reason = refusal(decide(sessionFor('awaiting:verification'), proceed, ctx));
    expect(reason).toContain('the session branch moved since implementation finished (3333333 → 9999999)');
    expect(reason).toContain('`rollback verification` resets the branch to 3333333');
  });

  it.each([
    ['awaiting:implementation', 'the open gate is `proceed to implementation`'],
    ['verifying', 'verification is still running'],
    ['failed:verification', 'verification failed'],
    ['blocked:verification', 'verification is blocked'],
    ['complete', 'is complete'],
    ['cancelled', 'was cancelled'],
    ['none', 'no session'],
  ])('refuses `proceed to verification` in %s: "%s"', (state, expected) => {
    expect(refusal(decide(viewFor(state), proceed, ctxFor()))).toContain(expected);
  });

  it('offers retry and rollback of the failed phase instead', () => {
    const reason = refusal(decide(sessionFor('failed:verification'), proceed, ctxFor()));
    expect(reason).toContain('`retry verification`');
    expect(reason).toContain('`rollback verification`');
  });
});

describe('proceed with feedback', () => {
  it.each([
    { feedback: '  keep the validator  ', carried: 'keep the validator' },
    { feedback: ' ', carried: undefined },
  ])('carries feedback $feedback into the dispatch as $carried', ({ feedback, carried }) => {
    const session = sessionFor('awaiting:implementation');
    const decision = accepted(
      decide(session, { name: 'proceed', phase: 'implementation', feedback }, ctxFor('bob')),
    );
    const dispatch = decision.effects.find((e) => e.type === 'dispatch');
    expect(dispatch).toMatchObject({ phase: 'implementation', attempt: 1 });
    expect(dispatch && 'feedback' in dispatch ? dispatch.feedback : undefined).toBe(carried);
  });
});

describe('retry', () => {
  it.each([
    { feedback: '  AC-3 is covered by test/cli.test.ts  ', carried: 'AC-3 is covered by test/cli.test.ts' },
    { feedback: '   ', carried: undefined },
    { feedback: undefined, carried: undefined },
  ])('dispatches the next attempt carrying feedback $feedback as $carried', ({ feedback, carried }) => {
    const session = sessionFor('blocked:verification', {
      attempts: { alignment: 1, implementation: 1, verification: 2, commit: 0 },
    });
    const decision = accepted(decide(session, { name: 'retry', phase: 'verification', feedback }, ctxFor()));
    expect(decision.next).toEqual({ kind: 'running', phase: 'verification', attempt: 3 });
    const dispatch = { type: 'dispatch', phase: 'verification', attempt: 3 };
    expect(decision.effects).toEqual([carried === undefined ? dispatch : { ...dispatch, feedback: carried }]);
  });

  it.each(['blocked:verification', 'failed:verification'])(
    'in %s, sends the implementation back: its next attempt on the branch as it is, with the feedback',
    (state) => {
      const session = sessionFor(state, {
        attempts: { alignment: 1, implementation: 1, verification: 1, commit: 0 },
      });
      const decision = accepted(
        decide(session, { name: 'retry', phase: 'implementation', feedback: 'sort numerically' }, ctxFor()),
      );
      expect(decision.next).toEqual({ kind: 'running', phase: 'implementation', attempt: 2 });
      expect(decision.effects).toEqual([
        { type: 'dispatch', phase: 'implementation', attempt: 2, feedback: 'sort numerically' },
      ]);
    },
  );

  it.each(['blocked:implementation', 'failed:commit', 'failed:alignment'])(
    'in %s, does not send an earlier phase back',
    (state) => {
      const earlier = state === 'failed:alignment' ? 'implementation' : 'alignment';
      expect(refusal(decide(sessionFor(state), { name: 'retry', phase: earlier }, ctxFor()))).toContain(
        'can be retried now',
      );
    },
  );

  it('names the phase that can be retried when another one is asked for', () => {
    const reason = refusal(
      decide(sessionFor('failed:implementation'), { name: 'retry', phase: 'commit' }, ctxFor()),
    );
    expect(reason).toContain('only implementation can be retried now (failed:implementation)');
  });
});

describe('rollback', () => {
  it('of a gated phase resets the branch to its base and reopens its gate on the previous artifact', () => {
    const decision = accepted(
      decide(sessionFor('awaiting:commit'), { name: 'rollback', phase: 'implementation' }, ctxFor()),
    );
    expect(decision.effects).toEqual([
      { type: 'reset-branch', phase: 'implementation', toSha: BASE.implementation },
    ]);
    expect(decision.next).toEqual({
      kind: 'awaiting',
      gate: 'implementation',
      approves: { digest: DIGEST.alignment, head: BASE.implementation },
    });
  });

  it('of alignment resets the branch and dispatches alignment again from that base', () => {
    const decision = accepted(
      decide(sessionFor('failed:verification'), { name: 'rollback', phase: 'alignment' }, ctxFor()),
    );
    expect(decision.effects).toEqual([
      { type: 'reset-branch', phase: 'alignment', toSha: BASE.alignment },
      { type: 'dispatch', phase: 'alignment', attempt: 2, base: BASE.alignment },
    ]);
    expect(decision.next).toEqual({ kind: 'running', phase: 'alignment', attempt: 2 });
  });

  it('of the open gate resets the branch to the approved head and keeps the gate as it was', () => {
    const session = sessionFor('awaiting:verification');
    const decision = accepted(decide(session, { name: 'rollback', phase: 'verification' }, ctxFor()));
    expect(decision.effects).toEqual([
      { type: 'reset-branch', phase: 'verification', toSha: BASE.verification },
    ]);
    expect(decision.next).toEqual(session.status);
  });

  it('of the failed phase itself reopens the gate before it', () => {
    const decision = accepted(
      decide(sessionFor('failed:commit'), { name: 'rollback', phase: 'commit' }, ctxFor()),
    );
    expect(decision.effects).toEqual([{ type: 'reset-branch', phase: 'commit', toSha: BASE.commit }]);
    expect(decision.next).toEqual({
      kind: 'awaiting',
      gate: 'commit',
      approves: { digest: DIGEST.verification, head: BASE.commit },
    });
  });

  it('refuses when no base commit is recorded for the phase', () => {
    const session = sessionFor('failed:verification', { bases: { alignment: BASE.alignment } });
    const reason = refusal(decide(session, { name: 'rollback', phase: 'implementation' }, ctxFor()));
    expect(reason).toContain('nothing to roll back for implementation');
    expect(reason).toContain('`rollback alignment`');
  });

  it('refuses to reopen a gate whose approved artifact digest is unknown', () => {
    const session = sessionFor('failed:verification', { digests: {} });
    const reason = refusal(decide(session, { name: 'rollback', phase: 'verification' }, ctxFor()));
    expect(reason).toContain('no artifact digest is recorded for implementation');
  });

  it('refuses a phase not reached yet', () => {
    const reason = refusal(
      decide(sessionFor('failed:implementation'), { name: 'rollback', phase: 'commit' }, ctxFor()),
    );
    expect(reason).toContain('commit has not been reached yet (failed:implementation)');
  });

  it('refuses while a phase runs, offering cancel or waiting', () => {
    const reason = refusal(
      decide(sessionFor('verifying'), { name: 'rollback', phase: 'implementation' }, ctxFor()),
    );
    expect(reason).toContain('while verification is running');
    expect(reason).toContain('wait for it to finish, or `cancel session`');
  });
});

describe('cancel', () => {
  it('stops the running attempt', () => {
    const session = sessionFor('implementing', {
      status: { kind: 'running', phase: 'implementation', attempt: 2 },
    });
    const decision = accepted(decide(session, { name: 'cancel' }, ctxFor()));
    expect(decision.next).toEqual({ kind: 'cancelled' });
    expect(decision.effects).toEqual([{ type: 'cancel-run', phase: 'implementation', attempt: 2 }]);
  });

  it.each(['awaiting:commit', 'failed:alignment', 'blocked:verification'])(
    'in %s has nothing to stop',
    (state) => {
      const decision = accepted(decide(viewFor(state), { name: 'cancel' }, ctxFor()));
      expect(decision.next).toEqual({ kind: 'cancelled' });
      expect(decision.effects).toEqual([]);
    },
  );

  it.each(['complete', 'cancelled'])(
    'is refused once the session is %s, pointing at a new session',
    (state) => {
      const reason = refusal(decide(viewFor(state), { name: 'cancel' }, ctxFor()));
      expect(reason).toContain(SESSION_ID);
      expect(reason).toContain("`I'm going to start phase 2.4`");
    },
  );
});
