/**
 * Extra modules and tests for the bundled demo library, so tool outputs have realistic sizes: each module is a few
 * hundred lines, and `npm test` runs hundreds of tests (a long output). Every function is correct and tested, so
 * the session's checks pass as in the demo.
 */
export function libraryFiles(modules: number, functionsPerModule: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let m = 0; m < modules; m++) {
    const name = MODULE_NAMES[m % MODULE_NAMES.length] + (m >= MODULE_NAMES.length ? String(m) : '');
    const fns = Array.from({ length: functionsPerModule }, (_, f) => ({ fn: `${name}${f}`, factor: f + 2 }));
    files[`src/${name}.js`] = [
      `import { assertNumbers } from './validate.js';`,
      '',
      `// ${name}: element-wise helpers. Each validates its input with the shared assertNumbers (SPEC §1)`,
      "// and returns a new array, leaving the caller's array unchanged.",
      '',
      ...fns.flatMap(({ fn, factor }) => [
        '/**',
        ` * Each value scaled by ${factor}, then offset by the list's smallest value.`,
        ' * @param {number[]} values',
        ' * @returns {number[]}',
        ' */',
        `export function ${fn}(values) {`,
        `  assertNumbers('${fn}', values);`,
        '  const low = Math.min(...values);',
        `  return values.map((value) => value * ${factor} + low);`,
        '}',
        '',
      ]),
    ].join('\n');
    files[`test/${name}.test.js`] = [
      `import assert from 'node:assert/strict';`,
      `import { describe, it } from 'node:test';`,
      `import { ${fns.map((f) => f.fn).join(', ')} } from '../src/${name}.js';`,
      '',
      `describe('${name}', () => {`,
      ...fns.flatMap(({ fn, factor }) => [
        `  it('${fn} scales each value by ${factor} and offsets by the smallest value', () => {`,
        `    assert.deepEqual(${fn}([1, 2, 3]), [${1 * factor + 1}, ${2 * factor + 1}, ${3 * factor + 1}]);`,
        '  });',
        `  it('${fn} throws RangeError on an empty list', () => {`,
        `    assert.throws(() => ${fn}([]), RangeError);`,
        '  });',
      ]),
      '});',
      '',
    ].join('\n');
  }
  return files;
}

const MODULE_NAMES = ['scale', 'shift', 'spread', 'stretch', 'weight', 'offset', 'blend', 'tilt'] as const;
