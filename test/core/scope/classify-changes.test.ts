import { describe, expect, it } from 'vitest';
import { classifyChanges, scopeMatcher } from '../../../src/core/scope/classify-changes.ts';

describe('scopeMatcher', () => {
  it.each([
    // plain paths: the file itself, or everything under a directory
    [['src/median.js'], 'src/median.js', true],
    [['src/median.js'], 'src/median.js.map', false],
    [['src/median.js'], 'test/src/median.js', false],
    [['src'], 'src/median.js', true],
    [['src/'], 'src/a/b/c.js', true],
    [['./src/'], 'src/median.js', true],
    [['/src'], 'src/median.js', true],
    [['src'], 'srcx/median.js', false],
    [['src'], 'test/median.test.js', false],
    [['.'], 'anything/at/all.txt', true],
    // globs (picomatch, dot: true)
    [['src/**'], 'src/a/b.js', true],
    [['src/*.js'], 'src/a/b.js', false],
    [['src/*.js'], 'src/median.js', true],
    [['test/**/*.test.js'], 'test/median.test.js', true],
    [['**/*.md'], 'README.md', true],
    [['**/*.md'], 'docs/SPEC.md', true],
    [['*.md'], 'docs/SPEC.md', false],
    [['.github/**'], '.github/workflows/ci.yml', true],
    [['**'], '.env', true],
    [['src/*'], 'src/.hidden', true],
    [['src/{median,mean}.js'], 'src/mean.js', true],
    // a literal file whose name looks like a glob
    [['pages/[id].ts'], 'pages/[id].ts', true],
    // exclusions
    [['src/**', '!src/generated/**'], 'src/generated/x.js', false],
    [['src/**', '!src/generated/**'], 'src/median.js', true],
    [['!src/**'], 'README.md', false],
    // nothing
    [[], 'src/median.js', false],
  ])('%j matches %j: %s', (patterns, path, expected) => {
    expect(scopeMatcher(patterns)(path)).toBe(expected);
  });
});

describe('classifyChanges', () => {
  const scope = { filesIn: ['src/median.js', 'test/'], filesForbidden: ['src/index.js', 'test/fixtures/**'] };

  it.each([
    ['src/median.js', 'modified', 'inScope'],
    ['test/median.test.js', 'modified', 'inScope'],
    ['test/new.test.js', 'added', 'inScope'],
    ['src/index.js', 'modified', 'forbidden'],
    ['test/fixtures/data.json', 'added', 'forbidden'],
    ['src/mean.js', 'modified', 'unrequested'],
    ['package.json', 'modified', 'unrequested'],
    ['src/sum.js', 'deleted', 'unrequested'],
  ] as const)('puts %s (%s) in %s', (path, status, bucket) => {
    const result = classifyChanges([{ path, status }], scope);
    expect(result[bucket]).toEqual([path]);
    expect(Object.values(result).flat()).toEqual([path]);
  });

  it('lets a forbidden pattern win over filesIn', () => {
    const result = classifyChanges([{ path: 'src/secret.js', status: 'modified' }], {
      filesIn: ['src/**'],
      filesForbidden: ['src/secret.js'],
    });
    expect(result).toEqual({ inScope: [], forbidden: ['src/secret.js'], unrequested: [] });
  });

  it.each([
    [{ path: 'src/median.js', previousPath: 'src/index.js' }, 'forbidden'],
    [{ path: 'src/median.js', previousPath: 'lib/median.js' }, 'unrequested'],
    [{ path: 'test/b.test.js', previousPath: 'test/a.test.js' }, 'inScope'],
  ] as const)('classifies the rename %j by its worse path: %s', (rename, bucket) => {
    const result = classifyChanges([{ ...rename, status: 'renamed' }], scope);
    expect(result[bucket]).toEqual([rename.path]);
  });

  it('keeps input order, normalizes paths and lists each path once', () => {
    const files = [
      { path: 'package.json' },
      { path: './src/median.js' },
      { path: 'src/median.js' },
      { path: 'README.md' },
      { path: 'src/index.js' },
    ];
    expect(classifyChanges(files, scope)).toEqual({
      inScope: ['src/median.js'],
      forbidden: ['src/index.js'],
      unrequested: ['package.json', 'README.md'],
    });
  });

  it('reports everything as unrequested when the scope allows nothing', () => {
    const result = classifyChanges([{ path: 'a.js' }, { path: 'b/c.js' }], {
      filesIn: [],
      filesForbidden: [],
    });
    expect(result).toEqual({ inScope: [], forbidden: [], unrequested: ['a.js', 'b/c.js'] });
  });
});
