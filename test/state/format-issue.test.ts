import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatIssues, formatPath } from '../../src/state/format-issue.ts';
import { acIdSchema, isoDateTimeSchema, sha256Schema } from '../../src/state/primitives.ts';
import { sessionStatusSchema } from '../../src/state/session-status.ts';
import { suggestKey } from '../../src/state/suggest-key.ts';

function lines(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) throw new Error('expected a failure');
  return formatIssues(result.error.issues, schema).map((report) => report.text);
}

describe('formatPath', () => {
  it.each([
    [[], ''],
    [['body'], 'body'],
    [['body', 'acceptanceCriteria', 2, 'id'], 'body.acceptanceCriteria[2].id'],
    [[0, 'a'], '[0].a'],
    [['a', 'b-c', 'd'], 'a["b-c"].d'],
  ])('formats %j as %j', (path, text) => {
    expect(formatPath(path)).toBe(text);
  });
});

describe('formatIssues', () => {
  it.each([
    ['a pattern', z.strictObject({ id: acIdSchema }), { id: 'AC1' }, ['id: expected "AC-<n>", got "AC1"']],
    [
      'a digest',
      z.strictObject({ d: sha256Schema }),
      { d: 'abc' },
      ['d: expected a 64-character lowercase hex sha256, got "abc"'],
    ],
    [
      'a date',
      z.strictObject({ at: isoDateTimeSchema }),
      { at: 'now' },
      ['at: expected an ISO 8601 UTC date-time like "2025-01-31T12:00:00.000Z", got "now"'],
    ],
    ['a plain regex', z.string().regex(/^x$/), 'y', ['expected a string matching /^x$/, got "y"']],
    ['a literal', z.literal('v1'), 'v2', ['expected "v1", got "v2"']],
    ['a wrong type', z.strictObject({ n: z.number() }), { n: [] }, ['n: expected number, got array']],
    ['a null', z.strictObject({ n: z.number() }), { n: null }, ['n: expected number, got null']],
    [
      'a too-long list',
      z.array(z.string()).max(5),
      ['a', 'b', 'c', 'd', 'e', 'f'],
      ['expected at most 5 items, got 6 items'],
    ],
    ['a too-long string', z.string().max(3), 'abcd', ['expected at most 3 characters, got 4 characters']],
    ['a negative count', z.number().int().min(0), -1, ['expected a number >= 0, got -1']],
    ['a positive number', z.number().positive(), 0, ['expected a number > 0, got 0']],
    [
      'a bad discriminator',
      z.strictObject({ s: sessionStatusSchema }),
      { s: { kind: 'paused' } },
      [
        's.kind: expected one of "running", "awaiting", "failed", "blocked", "complete", "cancelled", got "paused"',
      ],
    ],
    ['a long string value', z.literal('a'), 'x'.repeat(100), [`expected "a", got "${'x'.repeat(57)}..."`]],
    [
      'unknown keys, each on its own line',
      z.strictObject({ name: z.string() }),
      { name: 'a', nmae: 1, zzz: 2 },
      ['unknown key "nmae" (did you mean "name"?)', 'unknown key "zzz"'],
    ],
    [
      'a typo inside the matching union branch',
      z.strictObject({ s: sessionStatusSchema }),
      { s: { kind: 'running', phse: 'alignment', attempt: 1 } },
      [
        's.phase: expected one of "alignment", "implementation", "verification", "commit", got nothing (the field is missing)',
        's: unknown key "phse" (did you mean "phase"?)',
      ],
    ],
    [
      'an unknown key inside a union branch',
      z.strictObject({ s: sessionStatusSchema }),
      { s: { kind: 'complete', phse: 'x' } },
      ['s: unknown key "phse"'],
    ],
    [
      'a record with a wrong key',
      z.strictObject({ r: z.record(z.enum(['a', 'b']), z.number()) }),
      { r: { a: 1, b: 2, c: 3 } },
      ['r: unknown key "c"'],
    ],
  ])('explains %s', (_label, schema, value, expected) => {
    expect(lines(schema, value)).toEqual(expected);
  });

  it('reports what was expected separately from the line', () => {
    const result = z.strictObject({ id: acIdSchema }).safeParse({ id: 'x' }, { reportInput: true });
    expect(result.success).toBe(false);
    expect(formatIssues(result.error?.issues ?? [])).toEqual([
      { path: 'id', expected: '"AC-<n>"', text: 'id: expected "AC-<n>", got "x"' },
    ]);
  });
});

describe('suggestKey', () => {
  it.each([
    ['aproovers', ['approvers', 'spec'], 'approvers'],
    ['Spec', ['approvers', 'spec'], 'spec'],
    ['maxturns', ['maxTurns', 'model'], 'maxTurns'],
    ['colour', ['approvers', 'spec'], undefined],
    ['x', [], undefined],
  ])('suggests for %j among %j: %j', (word, keys, expected) => {
    expect(suggestKey(word, keys)).toBe(expected);
  });
});
