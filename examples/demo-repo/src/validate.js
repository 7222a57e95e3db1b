/**
 * Checks `values` against the input rules of docs/SPEC.md §1 and throws the documented error.
 * @param {string} fn name of the public function, used in error messages
 * @param {unknown} values the caller's argument
 * @param {{ allowEmpty?: boolean }} [options] `allowEmpty` for functions defined on an empty list
 * @returns {asserts values is number[]}
 */
export function assertNumbers(fn, values, { allowEmpty = false } = {}) {
  if (!Array.isArray(values)) {
    throw new TypeError(`${fn}(): expected an array of numbers`);
  }
  // findIndex visits holes too, so a sparse array fails here instead of producing NaN later.
  const bad = values.findIndex((value) => !Number.isFinite(value));
  if (bad !== -1) {
    throw new TypeError(`${fn}(): item ${bad} is not a finite number`);
  }
  if (values.length === 0 && !allowEmpty) {
    throw new RangeError(`${fn}(): needs at least one value`);
  }
}
