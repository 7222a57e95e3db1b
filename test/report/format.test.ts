import { describe, expect, it } from 'vitest';
import {
  firstLine,
  formatDuration,
  formatTokens,
  formatUsd,
  padVisible,
  shortDigest,
  shortSha,
  terminalSafe,
  truncate,
  visibleWidth,
} from '../../src/report/format.ts';

describe('formatTokens', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1_000, '1.0k'],
    [12_345, '12.3k'],
    [317_000, '317.0k'],
    [999_949, '999.9k'],
    [999_950, '1.0M'],
    [1_234_567, '1.2M'],
  ])('shows %i tokens as %s', (count, text) => {
    expect(formatTokens(count)).toBe(text);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 ms'],
    [850, '850 ms'],
    [999.4, '999 ms'],
    [999.6, '1.0s'],
    [12_345, '12.3s'],
    [59_949, '59.9s'],
    [59_950, '1m 00s'],
    [65_000, '1m 05s'],
    [1_125_100, '18m 45s'],
    [3_599_400, '59m 59s'],
    [3_723_000, '1h 02m'],
    [-40, '0 ms'],
  ])('shows %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('formatUsd', () => {
  it.each([
    [0, '$0.0000'],
    [0.01234, '$0.0123'],
    [0.00005, '$0.0001'],
    [1.2831, '$1.2831'],
  ])('shows %d dollars as %s', (usd, text) => {
    expect(formatUsd(usd)).toBe(text);
  });
});

describe('shortSha and shortDigest', () => {
  it('abbreviates a git sha to 7 characters, or the length asked for', () => {
    const sha = 'c0ffee1234567890abcdef1234567890abcdef12';
    expect(shortSha(sha)).toBe('c0ffee1');
    expect(shortSha(sha, 10)).toBe('c0ffee1234');
  });

  it('shows an artifact digest as sha256: and its first 8 hex digits', () => {
    expect(shortDigest(`1a2b3c4d${'0'.repeat(56)}`)).toBe('sha256:1a2b3c4d');
  });
});

describe('padVisible', () => {
  it.each([
    ['abc', 6, 'left', 'abc   '],
    ['abc', 6, 'right', '   abc'],
    ['abcdef', 3, 'left', 'abcdef'],
    ['\x1b[32mok\x1b[39m', 4, 'left', '\x1b[32mok\x1b[39m  '],
    ['\x1b[1m12\x1b[22m', 4, 'right', '  \x1b[1m12\x1b[22m'],
    ['héllo·', 7, 'left', 'héllo· '],
  ] as const)('pads %j to %i columns (%s)', (text, width, align, padded) => {
    expect(padVisible(text, width, align)).toBe(padded);
  });

  it('does not count escape sequences towards the width', () => {
    expect(visibleWidth('\x1b[1m\x1b[31mfailed\x1b[39m\x1b[22m')).toBe(6);
  });
});

describe('terminalSafe', () => {
  it.each([
    ['removes colour codes', 'AC-2 \x1b[31mfails\x1b[0m', 'AC-2 fails'],
    ['removes cursor movement', 'ok\x1b[2K\x1b[1Agone', 'okgone'],
    ['keeps newlines and turns tabs into spaces', 'a\tb\r\nc', 'a b\nc'],
    ['drops bare control characters', 'bell\x07 nul\x00 del\x7f', 'bell nul del'],
    ['drops bidi overrides', 'admin\u202e\u2066txt', 'admintxt'],
  ])('%s', (_, text, safe) => {
    expect(terminalSafe(text)).toBe(safe);
  });
});

describe('truncate and firstLine', () => {
  it('cuts long text to the width with an ellipsis and leaves short text alone', () => {
    expect(truncate('abcdefgh', 5)).toBe('abcd…');
    expect(truncate('abc', 5)).toBe('abc');
  });

  it('returns the first non-blank line, trimmed', () => {
    expect(firstLine('\n  \n  first  \nsecond')).toBe('first');
    expect(firstLine('')).toBe('');
  });
});
