import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { median } from '../src/index.js';

// Written first for roadmap task 1.3; see docs/SPEC.md §4.
describe('median', () => {
  it('returns the middle value of an odd-length list', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([42]), 42);
  });

  it('returns the mean of the two middle values of an even-length list', () => {
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([-1, 1]), 0);
  });

  it('sorts numerically, not as strings', () => {
    assert.equal(median([10, 9, 2]), 9);
  });

  it('leaves the input unchanged', () => {
    const values = [5, 3, 4];
    median(values);
    assert.deepEqual(values, [5, 3, 4]);
  });

  it('throws RangeError on an empty list', () => {
    assert.throws(() => median([]), { name: 'RangeError', message: 'median(): needs at least one value' });
  });

  it('throws TypeError naming the first item that is not a finite number', () => {
    assert.throws(() => median([1, 2, 'x', null]), {
      name: 'TypeError',
      message: 'median(): item 2 is not a finite number',
    });
  });
});
