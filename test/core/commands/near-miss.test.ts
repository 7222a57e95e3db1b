import { describe, expect, it } from 'vitest';
import { findNearMiss } from '../../../src/core/commands/near-miss.ts';

describe('findNearMiss', () => {
  it.each([
    'Looks good to me',
    'we should proceed to review this later, thanks',
    "I'll retry tomorrow",
    'Proceed with caution.',
    'Proceed to review this later, thanks a lot',
    "I'm going to start working on this tomorrow",
    'Can we cancel the meeting tomorrow at noon please?',
    'retry the build after lunch today',
    'The rollback of the last deploy went fine',
    'status',
    'commit',
    'thanks!',
    '',
    `proceed to ${'x'.repeat(100)}`,
  ])('leaves ordinary text alone: %j', (line) => {
    expect(findNearMiss(line)).toBeNull();
  });

  it.each([
    ['  proceed   to  comit ', 'proceed to comit', 'proceed to commit'],
    ['PROCEED TO IMPL', 'PROCEED TO IMPL', 'proceed to implementation'],
    ['retry align', 'retry align', 'retry alignment'],
    ['rollback verif', 'rollback verif', 'rollback verification'],
    ['ipo stat', 'ipo stat', 'ipo status'],
    [
      "i'm going to start implementation of phase 2.4!!",
      "i'm going to start implementation of phase 2.4!!",
      "I'm going to start phase 2.4",
    ],
    [
      "I'm going to start implementaton of phase 2.4",
      "I'm going to start implementaton of phase 2.4",
      "I'm going to start phase 2.4",
    ],
  ])('reads %j as a near miss of %j suggesting %j', (input, line, suggestion) => {
    expect(findNearMiss(input)).toMatchObject({ line, suggestion });
  });

  it.each([
    ['proceed to alignment', 'alignment has no gate'],
    ['retry', 'say which phase to retry'],
    ['roll back', 'say which phase to roll back'],
    ["I'm going to start phase 2.x", 'task id'],
    ['retry commit: squash into one commit', 'feedback goes on the lines after the command'],
  ])('says why %j did not count', (input, reason) => {
    expect(findNearMiss(input)?.reason).toContain(reason);
  });
});
