import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mean } from '../src/index.js';

describe('mean', () => {
  it('divides the sum by the number of values', () => {
    assert.equal(mean([2, 4, 9]), 5);
    assert.equal(mean([7]), 7);
  });

  it('leaves the input unchanged', () => {
    const values = [3, 1, 2];
    mean(values);
    assert.deepEqual(values, [3, 1, 2]);
  });

  it('throws RangeError on an empty list', () => {
    assert.throws(() => mean([]), { name: 'RangeError', message: 'mean(): needs at least one value' });
  });

  it('throws TypeError naming the first item that is not a finite number', () => {
    assert.throws(() => mean([1, Number.NaN, 'x']), {
      name: 'TypeError',
      message: 'mean(): item 1 is not a finite number',
    });
  });
});
