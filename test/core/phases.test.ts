import { describe, expect, it } from 'vitest';
import { GATED_PHASES, isPhase, nextPhase, PHASES, proceedPhrase } from '../../src/core/phases.ts';
import { isTaskId } from '../../src/core/task-id.ts';

describe('phases', () => {
  it.each([
    ['alignment', 'implementation'],
    ['implementation', 'verification'],
    ['verification', 'commit'],
    ['commit', null],
  ] as const)('the phase after %s is %s', (phase, next) => {
    expect(nextPhase(phase)).toBe(next);
  });

  it('gates every phase but the first, in order', () => {
    expect([...GATED_PHASES]).toEqual(PHASES.slice(1));
    expect(GATED_PHASES.map(proceedPhrase)).toEqual([
      'proceed to implementation',
      'proceed to verification',
      'proceed to commit',
    ]);
  });

  it.each([
    ['alignment', true],
    ['review', false],
    ['Alignment', false],
    ['', false],
  ])('isPhase(%j) is %s', (value, expected) => {
    expect(isPhase(value)).toBe(expected);
  });
});

describe('task ids', () => {
  it.each([
    ['2.4', true],
    ['1.10.3', true],
    ['2', false],
    ['2.4.1.1', false],
    ['2.x', false],
    [' 2.4', false],
    ['2..4', false],
  ])('isTaskId(%j) is %s', (value, expected) => {
    expect(isTaskId(value)).toBe(expected);
  });
});
