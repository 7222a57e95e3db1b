import { describe, expect, it } from 'vitest';
import { proseLines } from '../../../src/core/commands/prose-lines.ts';

/** One letter per line: p = prose, b = blank, h = hidden, c = inline code, l = lazy quote. */
function shape(body: string): string {
  return proseLines(body)
    .map((line) => {
      if (line.lazyQuote) return 'l';
      if (line.hidden) return 'h';
      if (line.inlineCode) return 'c';
      return line.text.trim() === '' ? 'b' : 'p';
    })
    .join('');
}

describe('proseLines', () => {
  it.each([
    ['a\nb', 'pp'],
    ['a\r\n\r\nb', 'pbp'],
    ['> q\n> q\n\np', 'hhbp'],
    ['> q\nlazy\nlazy\n\np', 'hllbp'],
    ['>\nnot lazy', 'hp'],
    ['> q\n```\ncode\n```\np', 'hhhhp'],
    ['```\na\n```\np', 'hhhp'],
    ['```\na\n~~~\nb', 'hhhh'],
    ['~~~\na\n```\n~~~\np', 'hhhhp'],
    ['``` a`b\np', 'pp'],
    ['    code\n\n    code\np', 'hbhp'],
    ['p\n    more', 'pp'],
    ['\tcode', 'h'],
    ['   three spaces', 'p'],
    ['<!-- a -->', 'h'],
    ['<!--\na\n-->\np', 'hhhp'],
    ['x <!--\na\n--> y', 'php'],
    ['`a` b\nc', 'cp'],
    ['a `b\nc\nd` e\nf', 'cccp'],
    ['a ``b\nc` d', 'pp'],
    ['\\`a` b', 'p'],
    ['a `<!--` b\nc', 'cp'],
  ])('classifies %j as %s', (body, expected) => {
    expect(shape(body)).toBe(expected);
  });

  it('cuts HTML comments out of the visible text', () => {
    expect(proseLines('a<!-- x -->b<!---->c<!-->d').map((line) => line.text)).toEqual(['abcd']);
  });
});
