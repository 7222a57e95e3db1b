import { describe, expect, it } from 'vitest';
import type { RunRecord } from './actions-state.ts';
import { matchesCreated, runMatches } from './match-run.ts';

const AT = '2025-06-15T12:30:00Z';

describe('the created filter of workflow-run lists', () => {
  it.each([
    ['2025-06-15', true],
    ['2025-06-14', false],
    ['>=2025-06-15', true],
    ['>2025-06-15', false],
    ['>2025-06-14', true],
    ['<2025-06-15', false],
    ['<=2025-06-15', true],
    ['<2025-06-16', true],
    ['2025-06-01..2025-06-15', true],
    ['2025-06-16..2025-06-30', false],
    ['*..2025-06-15', true],
    ['2025-06-15..*', true],
    // A time of day: GitHub is reported to answer with no runs, even where the run is inside the window.
    ['2025-06-15T12:30:00Z', false],
    ['>=2025-06-15T12:00:00Z', false],
    ['2025-06-15T12:00:00Z..2025-06-15T13:00:00Z', false],
  ])('created=%s matches a run created at 12:30 on 2025-06-15: %s', (filter, expected) => {
    expect(matchesCreated(AT, filter)).toBe(expected);
  });

  it('refuses a value that is not a date', () => {
    expect(() => matchesCreated(AT, '>=yesterday')).toThrow('not a date: yesterday');
  });
});

describe('the other filters of workflow-run lists', () => {
  const run = {
    event: 'workflow_dispatch',
    headBranch: 'main',
    actor: 'ipo-app[bot]',
    headSha: 'a'.repeat(40),
    status: 'completed',
    conclusion: 'failure',
    createdAt: AT,
  } as RunRecord;

  it.each([
    ['', true],
    ['event=workflow_dispatch', true],
    ['event=push', false],
    ['branch=main', true],
    ['branch=ipo/x', false],
    ['status=completed', true],
    ['status=failure', true],
    ['status=success', false],
    ['status=queued', false],
    ['actor=ipo-app[bot]', true],
    [`head_sha=${'b'.repeat(40)}`, false],
    ['event=workflow_dispatch&branch=main&status=failure&created=2025-06-15', true],
  ])('?%s → %s', (query, expected) => {
    expect(runMatches(run, new URLSearchParams(query))).toBe(expected);
  });
});
