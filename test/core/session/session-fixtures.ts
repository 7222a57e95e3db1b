import { GATED_PHASES, PHASE_PROGRESSIVE, PHASES, type Phase } from '../../../src/core/phases.ts';
import type { DecisionContext } from '../../../src/core/session/decision.ts';
import type { SessionStatus, SessionView } from '../../../src/core/session/session-state.ts';

/** Commit each phase's round starts from; distinct per phase so a test sees which one was used. */
export const BASE: Record<Phase, string> = {
  alignment: '1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  implementation: '2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
  verification: '3333333ccccccccccccccccccccccccccccccccc',
  commit: '4444444ddddddddddddddddddddddddddddddddd',
};
export const DIGEST: Record<Phase, string> = {
  alignment: 'a'.repeat(64),
  implementation: 'b'.repeat(64),
  verification: 'c'.repeat(64),
  commit: 'd'.repeat(64),
};

export const SESSION_ID = 'phase-2.4-20261125';
export const STARTER = 'alice';

/** Every state label of ARCHITECTURE §3, plus `none` for "no session". */
export const STATE_LABELS = [
  'none',
  ...PHASES.map((phase) => PHASE_PROGRESSIVE[phase]),
  ...GATED_PHASES.map((gate) => `awaiting:${gate}`),
  ...PHASES.map((phase) => `failed:${phase}`),
  ...PHASES.map((phase) => `blocked:${phase}`),
  'complete',
  'cancelled',
];

/** The status for a state label (attempt 1 everywhere; the gate approves the previous phase's output). */
export function statusFor(label: string): SessionStatus {
  const [kind, phase] = label.split(':') as [string, Phase | undefined];
  const running = PHASES.find((p) => PHASE_PROGRESSIVE[p] === label);
  if (running !== undefined) return { kind: 'running', phase: running, attempt: 1 };
  if (kind === 'awaiting' && (phase === 'implementation' || phase === 'verification' || phase === 'commit')) {
    const previous = PHASES[PHASES.indexOf(phase) - 1] as Phase;
    return { kind: 'awaiting', gate: phase, approves: { digest: DIGEST[previous], head: BASE[phase] } };
  }
  if (kind === 'failed' && phase) return { kind: 'failed', phase, attempt: 1, error: 'tool budget exceeded' };
  if (kind === 'blocked' && phase) return { kind: 'blocked', phase, attempt: 1, reason: 'AC-2 fails' };
  if (label === 'complete') return { kind: 'complete' };
  if (label === 'cancelled') return { kind: 'cancelled' };
  throw new Error(`no status for label ${label}`);
}

/**
 * A consistent view in the state `label`: every phase up to the current one ran once and has its base; every
 * phase before it succeeded and has its digest. Undefined for `none`.
 */
export function viewFor(label: string, overrides: Partial<SessionView> = {}): SessionView | undefined {
  if (label === 'none') return undefined;
  const status = statusFor(label);
  const current =
    status.kind === 'awaiting'
      ? PHASES.indexOf(status.gate) - 1
      : status.kind === 'complete' || status.kind === 'cancelled'
        ? PHASES.length - 1
        : PHASES.indexOf(status.phase);
  const ran = PHASES.filter((_, index) => index <= current);
  const done =
    status.kind === 'complete' || status.kind === 'cancelled' || status.kind === 'awaiting'
      ? ran
      : ran.slice(0, -1);
  return {
    id: SESSION_ID,
    taskId: '2.4',
    startedBy: STARTER,
    status,
    attempts: Object.fromEntries(PHASES.map((p) => [p, ran.includes(p) ? 1 : 0])) as Record<Phase, number>,
    bases: Object.fromEntries(ran.map((p) => [p, BASE[p]])),
    digests: Object.fromEntries(done.map((p) => [p, DIGEST[p]])),
    ...overrides,
  };
}

/** `viewFor` for a label that has a session. */
export function sessionFor(label: string, overrides: Partial<SessionView> = {}): SessionView {
  const view = viewFor(label, overrides);
  if (view === undefined) throw new Error('sessionFor needs a state with a session');
  return view;
}

/** An authorized approver other than the starter, with no distinct-approver rule and no branch head known. */
export function ctxFor(login = 'bob', overrides: Partial<DecisionContext> = {}): DecisionContext {
  return { actor: { login, authorized: true }, requireDistinctApprover: false, ...overrides };
}
