import { describe, expect, it } from 'vitest';
import { availableCommands } from '../../../src/core/session/available-commands.ts';
import { viewFor } from './session-fixtures.ts';

describe('availableCommands', () => {
  it.each([
    ['none', ["I'm going to start phase X.Y", 'ipo status']],
    ['verifying', ['cancel session', 'ipo status']],
    [
      'awaiting:verification',
      [
        'proceed to verification',
        'rollback alignment',
        'rollback implementation',
        'rollback verification',
        'cancel session',
        'ipo status',
      ],
    ],
    [
      'blocked:implementation',
      [
        'retry implementation',
        'rollback alignment',
        'rollback implementation',
        'cancel session',
        'ipo status',
      ],
    ],
    ['failed:alignment', ['retry alignment', 'rollback alignment', 'cancel session', 'ipo status']],
    ['complete', ["I'm going to start phase 2.4", 'ipo status']],
    ['cancelled', ["I'm going to start phase 2.4", 'ipo status']],
  ])('in %s lists %j', (state, expected) => {
    expect(availableCommands(viewFor(state))).toEqual(expected);
  });

  it('names the given task in the start phrase when there is no session', () => {
    expect(availableCommands(undefined, '3.1')).toEqual(["I'm going to start phase 3.1", 'ipo status']);
  });
});
