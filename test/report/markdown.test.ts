import { describe, expect, it } from 'vitest';
import { codeBlock, codeSpan, excerptBlock, inline, table } from '../../src/report/markdown.ts';

describe('markdown helpers', () => {
  it.each([
    ['plain words', 'Log out', 'Log out'],
    ['HTML', '<img src=x>', '\\<img src=x\\>'],
    ['an HTML comment', '<!-- x -->', '\\<\\!-- x --\\>'],
    ['emphasis and links', '*a* _b_ [c](d)', '\\*a\\* \\_b\\_ \\[c\\](d)'],
    ['entities', 'a &amp; b', 'a &amp;amp; b'],
    ['newlines', 'one\n  two\r\nthree', 'one two three'],
    ['escape sequences and bidi controls', '\x1b[31mred\x1b[0m \u202eevil', 'red evil'],
    ['a mention', 'ping @mallory and @org/team', 'ping @\u2060mallory and @\u2060org/team'],
    ['an issue reference', 'see #12, not # 3', 'see \\#\u206012, not \\# 3'],
    ['an e-mail address', 'a@b.c', 'a@\u2060b.c'],
  ])('inline() makes %s literal text on one line', (_case, input, expected) => {
    expect(inline(input)).toBe(expected);
  });

  it.each([
    ['plain', 'npm test', '`npm test`'],
    ['one backtick', 'a`b', '``a`b``'],
    ['edge backticks', '`x`', '`` `x` ``'],
    ['a newline', 'a\nb', '`a b`'],
  ])('codeSpan() fences %s text so it cannot close early', (_case, input, expected) => {
    expect(codeSpan(input)).toBe(expected);
  });

  it('codeBlock() uses a fence longer than any inside the text', () => {
    expect(codeBlock('a\n```\nb\n', 'text')).toEqual(['````text', 'a', '```', 'b', '````']);
  });

  it('excerptBlock() keeps the first lines, cut to width, and counts the rest', () => {
    expect(excerptBlock('one\n\ntwo long line\nthree\nfour', { lines: 2, width: 6 })).toEqual([
      '```text',
      'one',
      'two l…',
      '```',
      '… 2 more lines',
    ]);
    expect(excerptBlock('')).toEqual(['```text', 'no reason was recorded', '```']);
  });

  it('table() escapes every pipe in a cell, code spans included, and aligns columns', () => {
    expect(table(['a', 'b'], [['`x|y`', 'p\\|q']], ['left', 'right'])).toEqual([
      '| a | b |',
      '| --- | ---: |',
      '| `x\\|y` | p\\\\|q |',
    ]);
  });
});
