import { describe, expect, it } from 'vitest';
import { editDistance } from '../../../src/core/commands/edit-distance.ts';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['commit', 'commit', 0],
    ['commit', 'comit', 1],
    ['commit', 'commits', 1],
    ['commit', 'cummit', 1],
    ['proceed', 'procede', 1],
    ['cancle', 'cancel', 1],
    ['ab', 'ba', 1],
    ['implementaton', 'implementation', 1],
    ['review', 'commit', 6],
    ['kitten', 'sitting', 3],
  ])('editDistance(%j, %j) is %i', (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
    expect(editDistance(b, a)).toBe(expected);
  });
});
