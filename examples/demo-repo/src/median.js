/**
 * Middle value of a non-empty list of numbers. See docs/SPEC.md §4.
 * @param {number[]} _values
 * @returns {number}
 */
export function median(_values) {
  throw new Error('median(): not implemented yet (roadmap task 1.3)');
}
