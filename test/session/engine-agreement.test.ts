import { describe, expect, it } from 'vitest';
import { markerAfter, markerAfterResult, markerOfView } from '../../src/app/marker-after.ts';
import type { Command } from '../../src/core/commands/command.ts';
import { GATED_PHASES, PHASES, type Phase } from '../../src/core/phases.ts';
import { advanceSession } from '../../src/core/session/advance-session.ts';
import { PHASE_OUTCOMES, type PhaseResult } from '../../src/core/session/apply-phase-result.ts';
import { decide } from '../../src/core/session/decide.ts';
import type { AcceptedDecision } from '../../src/core/session/decision.ts';
import { newSessionView } from '../../src/core/session/new-session-view.ts';
import type { SessionView } from '../../src/core/session/session-state.ts';
import {
  markerView,
  type StatusMarker,
  statusMarkerFor,
  statusMarkerSchema,
} from '../../src/github/status-marker.ts';
import { applyDecision, recordRunResult } from '../../src/session/ledger-ops.ts';
import { newLedger } from '../../src/session/new-ledger.ts';
import { type Ledger, ledgerSchema } from '../../src/state/ledger.ts';
import { toSessionView } from '../../src/state/to-session-view.ts';
import {
  BASE,
  ctxFor,
  SESSION_ID,
  STARTER,
  STATE_LABELS,
  sessionFor,
} from '../core/session/session-fixtures.ts';

/**
 * The ledger (the job's and the CLI's record) and the status marker (the app's pointer) both advance a session.
 * They must come out as the engine says for every state and every change, or the app and the job would disagree
 * about which gate is open, which attempt runs next, or where a rollback goes.
 */

const AT = '2026-11-25T10:00:00.000Z';
const HEAD = '7777777fffffffffffffffffffffffffffffffff';
const NEW_DIGEST = 'e'.repeat(64);

/** Every session state, at attempt 1 and at a later attempt (3), so attempt counting is exercised too. */
const STATES: [string, SessionView][] = STATE_LABELS.filter((label) => label !== 'none').flatMap((label) =>
  [1, 3].map((attempt): [string, SessionView] => [
    `${label} (attempt ${attempt})`,
    withAttempt(sessionFor(label), attempt),
  ]),
);

const COMMANDS: Command[] = [
  { name: 'start', taskId: '2.4' },
  ...GATED_PHASES.map((phase): Command => ({ name: 'proceed', phase })),
  ...PHASES.map((phase): Command => ({ name: 'retry', phase })),
  ...PHASES.map((phase): Command => ({ name: 'retry', phase, feedback: 'use the helper\nand test it' })),
  ...PHASES.map((phase): Command => ({ name: 'rollback', phase })),
  { name: 'cancel' },
  { name: 'status' },
];

/** A start always opens a new session (a new ledger, a new marker), whatever the task's previous session was. */
const FRESH = newSessionView({ id: SESSION_ID, taskId: '2.4', startedBy: STARTER, base: BASE.alignment });

interface DecisionRow {
  state: string;
  command: string;
  before: SessionView;
  decision: AcceptedDecision;
}

const DECISION_ROWS: DecisionRow[] = [['none', undefined] as const, ...STATES].flatMap(([state, view]) =>
  COMMANDS.flatMap((command): DecisionRow[] => {
    const decision = decide(view, command, ctxFor());
    if (decision.kind !== 'accept') return [];
    const before = command.name === 'start' || view === undefined ? FRESH : view;
    return [{ state, command: describeCommand(command), before, decision }];
  }),
);

const RESULTS: PhaseResult[] = PHASES.flatMap((phase) =>
  [1, 2, 3].flatMap((attempt) => [
    ...PHASE_OUTCOMES.map(
      (outcome): PhaseResult => ({
        phase,
        attempt,
        outcome,
        digest: NEW_DIGEST,
        head: HEAD,
        ...(outcome === 'failed' ? { error: 'max turns reached' } : {}),
        ...(outcome === 'blocked' ? { reason: 'AC-2 fails' } : {}),
      }),
    ),
    // A success that cannot bind a gate: the engine turns it into a failure, and both adapters must follow.
    { phase, attempt, outcome: 'succeeded' },
  ]),
);

const RESULT_ROWS = STATES.flatMap(([state, before]) =>
  RESULTS.map((result) => ({ state, result: describeResult(result), before, phaseResult: result })),
);

describe('one session engine: ledger, marker and engine agree', () => {
  it('covers every command kind and every status kind with an accepted decision, and stale and accepted results', () => {
    expect(new Set(DECISION_ROWS.map((row) => row.command.split(' ')[0]))).toEqual(
      new Set(['start', 'proceed', 'retry', 'rollback', 'cancel', 'status']),
    );
    expect(new Set(DECISION_ROWS.map((row) => row.before.status.kind))).toEqual(
      new Set(['running', 'awaiting', 'failed', 'blocked', 'complete', 'cancelled']),
    );
    const steps = RESULT_ROWS.map((row) =>
      advanceSession(row.before, { kind: 'phase-result', result: row.phaseResult }),
    );
    expect(new Set(steps.map((step) => step.kind))).toEqual(new Set(['advanced', 'stale']));
  });

  it("starts a new session from the same view in the ledger (newLedger) and in the app's marker (markerOfView)", () => {
    const ledger = newLedger({
      session: SESSION_ID,
      taskId: '2.4',
      task: { title: 'Median', text: 'Add median().', source: 'docs/ROADMAP.md#L20' },
      startedBy: STARTER,
      baseBranch: 'main',
      baseSha: BASE.alignment,
      at: AT,
    });
    const marker = markerOfView(FRESH, {
      repo: 'octo/demo',
      version: 1,
      branch: ledger.branch,
      issueNumber: 7,
      baseBranch: 'main',
      runs: [],
    });
    expect(toSessionView(ledger)).toEqual(FRESH);
    expect(markerView(marker)).toEqual(FRESH);
    expect(statusMarkerSchema.parse(marker)).toEqual(marker);
  });

  it.each(DECISION_ROWS)(
    'in $state, `$command` gives the same view in the ledger, the engine and the marker',
    ({ before, decision }) => {
      const engine = advanceSession(before, { kind: 'decision', decision });
      expect(engine.view.status).toEqual(decision.next ?? before.status);

      const ledger = ledgerOf(before);
      const applied = applyDecision(ledger, decision, { actor: 'bob', at: AT });
      expect(toSessionView(applied.ledger)).toEqual(engine.view);
      expect(ledgerSchema.safeParse(applied.ledger).success).toBe(true);
      expect(identity(applied.ledger)).toEqual(identity(ledger));

      const marker = markerOf(before);
      const marked = markerAfter(marker, decision);
      expect(markerView(marked)).toEqual(engine.view);
      expect(statusMarkerSchema.safeParse(marked).success).toBe(true);
      expect(pointer(marked)).toEqual(pointer(marker));
    },
  );

  it.each(RESULT_ROWS)(
    'in $state, $result gives the same view in the ledger, the engine and the marker',
    ({ before, phaseResult }) => {
      const engine = advanceSession(before, { kind: 'phase-result', result: phaseResult });
      if (engine.kind === 'stale') expect(engine.view).toEqual(before);

      const ledger = ledgerOf(before);
      const recorded = recordRunResult(ledger, { ...phaseResult, at: AT });
      expect(toSessionView(recorded.ledger)).toEqual(engine.view);
      expect(recorded.accepted).toBe(engine.kind === 'advanced');
      expect(recorded.message).toBe(engine.kind === 'advanced' ? engine.message : engine.reason);
      expect(ledgerSchema.safeParse(recorded.ledger).success).toBe(true);
      expect(identity(recorded.ledger)).toEqual(identity(ledger));

      const marker = markerOf(before);
      const marked = markerAfterResult(marker, phaseResult);
      expect(markerView(marked.marker)).toEqual(engine.view);
      expect(marked.step).toEqual(engine);
      expect(statusMarkerSchema.safeParse(marked.marker).success).toBe(true);
      expect(pointer(marked.marker)).toEqual(pointer(marker));
    },
  );
});

/** The ledger holding `view`, as the job would read it (its own audit trail aside). */
function ledgerOf(view: SessionView): Ledger {
  const base = newLedger({
    session: view.id,
    taskId: view.taskId,
    task: { title: 'Median', text: '### 2.4 Median\n\nAdd median().', source: 'docs/ROADMAP.md#L20' },
    startedBy: view.startedBy,
    baseBranch: 'main',
    baseSha: BASE.alignment,
    at: AT,
  });
  const running =
    view.status.kind === 'running'
      ? [
          {
            phase: view.status.phase,
            attempt: view.status.attempt,
            status: 'running' as const,
            startedAt: AT,
            inputs: [],
          },
        ]
      : [];
  return {
    ...base,
    status: structuredClone(view.status),
    attempts: { ...view.attempts },
    bases: { ...view.bases },
    digests: { ...view.digests },
    runs: running,
  };
}

/** The marker the app holds for `view`, with pointer fields a decision must leave alone. */
function markerOf(view: SessionView): StatusMarker {
  return statusMarkerFor(ledgerOf(view), {
    repo: 'octo/demo',
    version: 4,
    issueNumber: 7,
    lastRunId: 41,
    runs: [{ phase: 'alignment', attempt: 1, runId: 41, conclusion: 'success' }],
  });
}

function pointer(marker: StatusMarker) {
  const { state: _s, attempts: _a, bases: _b, digests: _d, ...rest } = marker;
  return rest;
}

function identity(ledger: Ledger) {
  const { session, taskId, startedBy, task, createdAt, branch, baseBranch } = ledger;
  return { session, taskId, startedBy, task, createdAt, branch, baseBranch };
}

/** The view in `view`'s state at `attempt` of its current phase. */
function withAttempt(view: SessionView, attempt: number): SessionView {
  const status = view.status;
  const phase: Phase =
    status.kind === 'awaiting'
      ? (PHASES[PHASES.indexOf(status.gate) - 1] as Phase)
      : status.kind === 'complete' || status.kind === 'cancelled'
        ? 'commit'
        : status.phase;
  const attempts = { ...view.attempts, [phase]: attempt };
  if (status.kind === 'running' || status.kind === 'failed' || status.kind === 'blocked') {
    return { ...view, attempts, status: { ...status, attempt } };
  }
  return { ...view, attempts };
}

function describeCommand(command: Command): string {
  switch (command.name) {
    case 'start':
      return `start ${command.taskId}`;
    case 'proceed':
      return `proceed to ${command.phase}`;
    case 'retry':
      return `retry ${command.phase}${command.feedback === undefined ? '' : ' (with feedback)'}`;
    case 'rollback':
      return `rollback ${command.phase}`;
    case 'cancel':
      return 'cancel';
    case 'status':
      return 'status';
    default: {
      const never: never = command;
      return never;
    }
  }
}

function describeResult(result: PhaseResult): string {
  const bound = result.outcome === 'succeeded' && result.head === undefined ? ' without digest and head' : '';
  return `${result.phase} attempt ${result.attempt} ${result.outcome}${bound}`;
}
