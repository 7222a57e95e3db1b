import { sum } from './sum.js';
import { assertNumbers } from './validate.js';

/**
 * Arithmetic mean of a non-empty list of numbers. See docs/SPEC.md §3.
 * @param {number[]} values
 * @returns {number}
 */
export function mean(values) {
  assertNumbers('mean', values);
  return sum(values) / values.length;
}
