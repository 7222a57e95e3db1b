import { afterEach, describe, expect, it } from 'vitest';
import {
  type LineMatcher,
  MatchTimeoutError,
  startLineMatcher,
} from '../../../src/agent/tools/line-matcher.ts';
import { splitLines } from '../../../src/agent/tools/read-file.ts';

let matcher: LineMatcher | undefined;
afterEach(() => matcher?.close());

const start = (regex: RegExp, timeoutMs = 5000) => {
  matcher = startLineMatcher(regex, { timeoutMs, maxLineChars: 10 });
  return matcher;
};

describe('startLineMatcher', () => {
  it.each([
    ['empty text', ''],
    ['a final newline', 'a\nb\n'],
    ['no final newline', 'a\nb'],
    ['blank lines', '\n\na\n\n'],
    ['CRLF endings', 'a\r\nb\r\n'],
  ])('numbers lines the way read_file does, with %s', async (_name, text) => {
    const found = await start(/.*/).match([{ path: 'f', text }], 100);
    expect(found.map((m) => [m.line, m.text])).toEqual(splitLines(text).map((line, i) => [i + 1, line]));
  });

  it('stops at the limit, across files in order', async () => {
    const found = await start(/x/i).match(
      [
        { path: 'a', text: 'x\ny\nX\n' },
        { path: 'b', text: 'x\nx\n' },
      ],
      3,
    );
    expect(found).toEqual([
      { path: 'a', line: 1, text: 'x' },
      { path: 'a', line: 3, text: 'X' },
      { path: 'b', line: 1, text: 'x' },
    ]);
  });

  it('sends a long line back cut to one character past the limit', async () => {
    const [match] = await start(/a/).match([{ path: 'f', text: 'a'.repeat(50) }], 1);
    expect(match?.text).toBe('a'.repeat(11));
  });

  it('rejects with MatchTimeoutError when a match runs past the budget', async () => {
    const started = Date.now();
    const pending = start(/(a+)+$/, 200).match([{ path: 'f', text: `${'a'.repeat(40)}!` }], 1);
    await expect(pending).rejects.toBeInstanceOf(MatchTimeoutError);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
