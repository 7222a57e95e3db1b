import { describe, expect, it } from 'vitest';
import { formatSessionId, nextSessionId, parseSessionId } from '../../../src/core/session/session-id.ts';

describe('formatSessionId', () => {
  it.each([
    ['2.4', new Date('2026-11-25T12:00:00Z'), 1, 'phase-2.4-20261125'],
    ['2.4', new Date('2026-11-25T12:00:00Z'), 2, 'phase-2.4-20261125-2'],
    ['1.10.3', { y: 2026, m: 1, d: 5 }, 12, 'phase-1.10.3-20260105-12'],
    // The UTC day counts, not the local one: 23:30 at UTC-5 is already the next day in UTC.
    ['2.4', new Date('2026-11-25T23:30:00-05:00'), 1, 'phase-2.4-20261126'],
    ['2.4', new Date('2026-11-25T00:00:00Z'), 1, 'phase-2.4-20261125'],
    ['3.1', { y: 2028, m: 2, d: 29 }, 1, 'phase-3.1-20280229'],
    ['3.1', { y: 999, m: 12, d: 31 }, 1, 'phase-3.1-09991231'],
  ])('formats task %s on %s (n=%s) as %s', (taskId, date, n, expected) => {
    expect(formatSessionId(taskId, date, n)).toBe(expected);
  });

  it('defaults to the first session of the day', () => {
    expect(formatSessionId('2.4', { y: 2026, m: 11, d: 25 })).toBe('phase-2.4-20261125');
  });

  it.each(['2', '2.x', 'phase-2.4', ' 2.4', '2.4.1.1', ''])(
    'throws for the task id %j, naming it',
    (taskId) => {
      expect(() => formatSessionId(taskId, { y: 2026, m: 11, d: 25 })).toThrow(
        `invalid task id ${JSON.stringify(taskId)}`,
      );
    },
  );

  it.each([
    { y: 2027, m: 2, d: 29 },
    { y: 2026, m: 13, d: 1 },
    { y: 2026, m: 4, d: 31 },
    { y: 2026, m: 0, d: 10 },
    { y: 2026, m: 1, d: 0 },
    { y: 2026.5, m: 1, d: 1 },
    { y: 10000, m: 1, d: 1 },
  ])('throws for the impossible day %j', (day) => {
    expect(() => formatSessionId('2.4', day)).toThrow('invalid session date');
  });

  it('throws for an invalid Date', () => {
    expect(() => formatSessionId('2.4', new Date('not a date'))).toThrow('invalid session date');
  });

  it.each([0, -1, 1.5, Number.NaN])('throws for the sequence %s', (n) => {
    expect(() => formatSessionId('2.4', { y: 2026, m: 11, d: 25 }, n)).toThrow('invalid session sequence');
  });
});

describe('parseSessionId', () => {
  it.each([
    ['phase-2.4-20261125', { taskId: '2.4', date: '20261125', sequence: 1 }],
    ['phase-2.4-20261125-2', { taskId: '2.4', date: '20261125', sequence: 2 }],
    ['phase-1.10.3-20260105-12', { taskId: '1.10.3', date: '20260105', sequence: 12 }],
    ['phase-3.1-20280229', { taskId: '3.1', date: '20280229', sequence: 1 }],
    ['phase-3.1-20000229', { taskId: '3.1', date: '20000229', sequence: 1 }],
  ])('parses %s', (id, expected) => {
    expect(parseSessionId(id)).toEqual(expected);
  });

  it.each([
    ['invalid calendar day', 'phase-2.4-20260230'],
    ['month 13', 'phase-2.4-20261301'],
    ['month 00', 'phase-2.4-20260001'],
    ['day 00', 'phase-2.4-20260100'],
    ['day 32', 'phase-2.4-20260132'],
    ['29 February of a common year', 'phase-2.4-20270229'],
    ['29 February of a century year not divisible by 400', 'phase-2.4-21000229'],
    ['year 0000', 'phase-2.4-00000101'],
    ['short date', 'phase-2.4-2026112'],
    ['long date', 'phase-2.4-202611250'],
    ['suffix -1 (the first session has none)', 'phase-2.4-20261125-1'],
    ['suffix -0', 'phase-2.4-20261125-0'],
    ['suffix with a leading zero', 'phase-2.4-20261125-02'],
    ['suffix -01', 'phase-2.4-20261125-01'],
    ['non-numeric suffix', 'phase-2.4-20261125-b'],
    ['empty suffix', 'phase-2.4-20261125-'],
    ['suffix beyond safe integers', 'phase-2.4-20261125-99999999999999999999'],
    ['extra part', 'phase-2.4-20261125-2-3'],
    ['trailing text', 'phase-2.4-20261125x'],
    ['trailing newline', 'phase-2.4-20261125\n'],
    ['leading space', ' phase-2.4-20261125'],
    ['wrong prefix', 'session-2.4-20261125'],
    ['uppercase prefix', 'Phase-2.4-20261125'],
    ['branch name', 'ipo/phase-2.4-20261125'],
    ['bad task id', 'phase-2-20261125'],
    ['task id with letters', 'phase-2.x-20261125'],
    ['task id with four parts', 'phase-2.4.1.1-20261125'],
    ['no date', 'phase-2.4'],
    ['empty', ''],
  ])('rejects %s (%j)', (_why, id) => {
    expect(parseSessionId(id)).toBeNull();
  });

  it.each([
    ['2.4', { y: 2026, m: 11, d: 25 }, 1],
    ['1.10.3', { y: 2028, m: 2, d: 29 }, 7],
    ['9999.9999.9999', { y: 9999, m: 12, d: 31 }, 123],
  ])('reads back what formatSessionId wrote (%s, %j, %s)', (taskId, day, n) => {
    const parsed = parseSessionId(formatSessionId(taskId, day, n));
    expect(parsed).toEqual({
      taskId,
      date: `${String(day.y).padStart(4, '0')}${String(day.m).padStart(2, '0')}${String(day.d).padStart(2, '0')}`,
      sequence: n,
    });
  });
});

describe('nextSessionId', () => {
  const day = { y: 2026, m: 11, d: 25 };

  it.each([
    { existing: [], expected: 'phase-2.4-20261125' },
    { existing: ['phase-2.4-20261125'], expected: 'phase-2.4-20261125-2' },
    { existing: ['phase-2.4-20261125', 'phase-2.4-20261125-2'], expected: 'phase-2.4-20261125-3' },
    // Gaps are not refilled: a missing id was used once and may have left claim refs and artifacts behind.
    { existing: ['phase-2.4-20261125-2'], expected: 'phase-2.4-20261125-3' },
    { existing: ['phase-2.4-20261125', 'phase-2.4-20261125-5'], expected: 'phase-2.4-20261125-6' },
    { existing: ['phase-2.4-20261125-10', 'phase-2.4-20261125-9'], expected: 'phase-2.4-20261125-11' },
    // Other tasks (including prefixes of this one) and other days do not count.
    {
      existing: [
        'phase-2.40-20261125',
        'phase-2.4.1-20261125-3',
        'phase-12.4-20261125',
        'phase-2.4-20261124-4',
      ],
      expected: 'phase-2.4-20261125',
    },
    // Malformed ids are ignored rather than trusted.
    {
      existing: ['phase-2.4-20261125-01', 'phase-2.4-20261125-1', 'garbage'],
      expected: 'phase-2.4-20261125',
    },
  ])('with $existing, returns $expected', ({ existing, expected }) => {
    expect(nextSessionId('2.4', day, existing)).toBe(expected);
  });

  it('never returns an id that exists, whatever subset of the day exists', () => {
    const all = ['phase-2.4-20261125', ...[2, 3, 4, 5].map((n) => `phase-2.4-20261125-${n}`)];
    for (let mask = 0; mask < 2 ** all.length; mask++) {
      const existing = all.filter((_, index) => mask & (1 << index));
      expect(existing).not.toContain(nextSessionId('2.4', day, existing));
    }
  });

  it('uses the UTC day of a Date and accepts any iterable', () => {
    const existing = new Set(['phase-2.4-20261126']);
    expect(nextSessionId('2.4', new Date('2026-11-25T23:30:00-05:00'), existing)).toBe(
      'phase-2.4-20261126-2',
    );
  });

  it('throws for an invalid task id', () => {
    expect(() => nextSessionId('2.x', day, [])).toThrow('invalid task id "2.x"');
  });
});
