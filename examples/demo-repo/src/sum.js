import { assertNumbers } from './validate.js';

/**
 * Sum of a list of numbers; `sum([])` is 0. See docs/SPEC.md §2.
 * @param {number[]} values
 * @returns {number}
 */
export function sum(values) {
  assertNumbers('sum', values, { allowEmpty: true });
  let total = 0;
  for (const value of values) total += value;
  return total;
}
