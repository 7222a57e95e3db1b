import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sum } from '../src/index.js';

describe('sum', () => {
  it('adds the values left to right', () => {
    assert.equal(sum([1, 2, 3.5]), 6.5);
    assert.equal(sum([-4, 4]), 0);
  });

  it('returns 0 for an empty list', () => {
    assert.equal(sum([]), 0);
  });

  it('rejects an argument that is not an array with TypeError', () => {
    assert.throws(() => sum('1,2'), { name: 'TypeError', message: 'sum(): expected an array of numbers' });
  });

  for (const [label, item] of [
    ['a numeric string', '2'],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['null', null],
    ['undefined', undefined],
  ]) {
    it(`rejects ${label} with TypeError naming its index`, () => {
      assert.throws(() => sum([1, item, 3]), {
        name: 'TypeError',
        message: 'sum(): item 1 is not a finite number',
      });
    });
  }
});
