import { describe, expect, it } from 'vitest';
import type { Command } from '../../../src/core/commands/command.ts';
import { GATED_PHASES, PHASES } from '../../../src/core/phases.ts';
import { decide } from '../../../src/core/session/decide.ts';
import type { Decision } from '../../../src/core/session/decision.ts';
import { stateLabel } from '../../../src/core/session/session-state.ts';
import { ctxFor, STATE_LABELS, viewFor } from './session-fixtures.ts';

const START = "I'm going to start phase 2.4";

/** Every command kind, with the phrase a person writes (spelled here, independently of the implementation). */
const COMMANDS: [string, Command][] = [
  [START, { name: 'start', taskId: '2.4' }],
  ...GATED_PHASES.map((phase): [string, Command] => [`proceed to ${phase}`, { name: 'proceed', phase }]),
  ...PHASES.map((phase): [string, Command] => [`retry ${phase}`, { name: 'retry', phase }]),
  ...PHASES.map((phase): [string, Command] => [`rollback ${phase}`, { name: 'rollback', phase }]),
  ['cancel session', { name: 'cancel' }],
  ['ipo status', { name: 'status' }],
];

const UNCHANGED = '(unchanged)';
const STATUS = { 'ipo status': UNCHANGED };
const CANCEL = { 'cancel session': 'cancelled' };
const RUNNING = { ...CANCEL, ...STATUS };
const AFTER_FAILURE: Record<string, Record<string, string>> = {
  alignment: { 'retry alignment': 'aligning', 'rollback alignment': 'aligning', ...RUNNING },
  implementation: {
    'retry implementation': 'implementing',
    'rollback alignment': 'aligning',
    'rollback implementation': 'awaiting:implementation',
    ...RUNNING,
  },
  verification: {
    'retry verification': 'verifying',
    // Verification found the implementation wanting: the person can send it back with feedback.
    'retry implementation': 'implementing',
    'rollback alignment': 'aligning',
    'rollback implementation': 'awaiting:implementation',
    'rollback verification': 'awaiting:verification',
    ...RUNNING,
  },
  commit: {
    'retry commit': 'committing',
    'rollback alignment': 'aligning',
    'rollback implementation': 'awaiting:implementation',
    'rollback verification': 'awaiting:verification',
    'rollback commit': 'awaiting:commit',
    ...RUNNING,
  },
};

/** What each state accepts and the state it leads to; every command not listed must be refused. */
const ACCEPTED: Record<string, Record<string, string>> = {
  none: { [START]: 'aligning', ...STATUS },
  aligning: RUNNING,
  implementing: RUNNING,
  verifying: RUNNING,
  committing: RUNNING,
  'awaiting:implementation': {
    'proceed to implementation': 'implementing',
    'rollback alignment': 'aligning',
    'rollback implementation': 'awaiting:implementation',
    ...RUNNING,
  },
  'awaiting:verification': {
    'proceed to verification': 'verifying',
    'rollback alignment': 'aligning',
    'rollback implementation': 'awaiting:implementation',
    'rollback verification': 'awaiting:verification',
    ...RUNNING,
  },
  'awaiting:commit': {
    'proceed to commit': 'committing',
    'rollback alignment': 'aligning',
    'rollback implementation': 'awaiting:implementation',
    'rollback verification': 'awaiting:verification',
    'rollback commit': 'awaiting:commit',
    ...RUNNING,
  },
  'failed:alignment': AFTER_FAILURE.alignment ?? {},
  'failed:implementation': AFTER_FAILURE.implementation ?? {},
  'failed:verification': AFTER_FAILURE.verification ?? {},
  'failed:commit': AFTER_FAILURE.commit ?? {},
  'blocked:alignment': AFTER_FAILURE.alignment ?? {},
  'blocked:implementation': AFTER_FAILURE.implementation ?? {},
  'blocked:verification': AFTER_FAILURE.verification ?? {},
  'blocked:commit': AFTER_FAILURE.commit ?? {},
  complete: { [START]: 'aligning', ...STATUS },
  cancelled: { [START]: 'aligning', ...STATUS },
};

/** The effect types an accepted command must produce, by rule. */
function expectedEffects(state: string, phrase: string): string[] {
  if (phrase === START) return ['create-session', 'dispatch'];
  if (phrase === 'ipo status') return ['report-status'];
  if (phrase.startsWith('proceed to ')) return ['record-approval', 'dispatch'];
  if (phrase.startsWith('retry ')) return ['dispatch'];
  if (phrase === 'rollback alignment') return ['reset-branch', 'dispatch'];
  if (phrase.startsWith('rollback ')) return ['reset-branch'];
  const running = ['aligning', 'implementing', 'verifying', 'committing'].includes(state);
  return running ? ['cancel-run'] : [];
}

/** Reads a quoted phrase back into a command, so a refusal's suggestions can be checked against `decide`. */
function parsePhrase(phrase: string): Command | null {
  if (phrase === 'cancel session') return { name: 'cancel' };
  if (phrase === 'ipo status') return { name: 'status' };
  const start = /^I'm going to start phase (\S+)$/.exec(phrase);
  if (start?.[1]) return { name: 'start', taskId: start[1] === 'X.Y' ? '2.4' : start[1] };
  const gate = GATED_PHASES.find((phase) => phrase === `proceed to ${phase}`);
  if (gate) return { name: 'proceed', phase: gate };
  const retry = PHASES.find((phase) => phrase === `retry ${phase}`);
  if (retry) return { name: 'retry', phase: retry };
  const rollback = PHASES.find((phase) => phrase === `rollback ${phase}`);
  return rollback ? { name: 'rollback', phase: rollback } : null;
}

const MATRIX = STATE_LABELS.flatMap((state) =>
  COMMANDS.map(([phrase, command]) => {
    const next = ACCEPTED[state]?.[phrase];
    return { state, phrase, command, expected: next === undefined ? 'refused' : `accepted → ${next}` };
  }),
);

function outcome(decision: Decision): string {
  if (decision.kind === 'refuse') return 'refused';
  return `accepted → ${decision.next === null ? UNCHANGED : stateLabel(decision.next)}`;
}

describe('decide: every state × every command', () => {
  it('covers 18 states × 14 commands', () => {
    expect(STATE_LABELS).toHaveLength(18);
    expect(COMMANDS).toHaveLength(14);
    expect(MATRIX).toHaveLength(18 * 14);
    expect(Object.keys(ACCEPTED).sort()).toEqual([...STATE_LABELS].sort());
  });

  it.each(MATRIX)('in $state, `$phrase` is $expected', ({ state, phrase, command, expected }) => {
    const session = viewFor(state);
    const decision = decide(session, command, ctxFor());
    expect(outcome(decision)).toBe(expected);

    if (decision.kind === 'accept') {
      expect(decision.effects.map((effect) => effect.type)).toEqual(expectedEffects(state, phrase));
      expect(decision.message).not.toBe('');
      return;
    }
    // A refusal names the state it was refused in…
    expect(decision.reason).toContain(state === 'none' ? 'no session' : state);
    // …and suggests at least one other phrase, each of which that state really accepts.
    const suggestions = [...decision.reason.matchAll(/`([^`]+)`/g)]
      .map((match) => match[1] ?? '')
      .filter((quoted) => quoted !== phrase)
      .map(parsePhrase)
      .filter((suggested) => suggested !== null);
    expect(suggestions.length).toBeGreaterThan(0);
    for (const suggested of suggestions) {
      expect(decide(session, suggested, ctxFor()).kind, JSON.stringify(suggested)).toBe('accept');
    }
  });
});
