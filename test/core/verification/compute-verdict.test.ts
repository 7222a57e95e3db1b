import { describe, expect, it } from 'vitest';
import { computeVerdict, type VerdictInput } from '../../../src/core/verification/compute-verdict.ts';

const EVIDENCE = [{ kind: 'test' as const, ref: 'median > odd list', detail: 'returns the middle value' }];
const pass = (id: string) => ({ id, status: 'pass' as const, evidence: EVIDENCE });
const TEST_PASSED = { command: 'npm test', exitCode: 0, kind: 'passed' as const };

/** A passing input; each case below breaks one thing. */
const GOOD: VerdictInput = {
  criteria: [{ id: 'AC-1' }, { id: 'AC-2' }, { id: 'AC-3' }],
  judged: [pass('AC-1'), pass('AC-2'), pass('AC-3')],
  checks: [TEST_PASSED],
  gaps: [{ kind: 'missing', detail: 'no docs for median (not required)' }],
};

describe('computeVerdict', () => {
  it('passes when every criterion passed with evidence, every check exited 0 and no gap is blocking', () => {
    expect(computeVerdict(GOOD)).toEqual({ verdict: 'pass', reasons: [], missing: [] });
  });

  it.each<[string, Partial<VerdictInput>, string[], string[]]>([
    [
      'a partial criterion',
      { judged: [pass('AC-1'), pass('AC-2'), { id: 'AC-3', status: 'partial', evidence: EVIDENCE }] },
      ['AC-3 is partial'],
      [],
    ],
    [
      'a failing criterion',
      { judged: [{ id: 'AC-1', status: 'fail', evidence: EVIDENCE }, pass('AC-2'), pass('AC-3')] },
      ['AC-1 failed'],
      [],
    ],
    [
      'an unverified criterion',
      { judged: [pass('AC-1'), { id: 'AC-2', status: 'unverified', evidence: [] }, pass('AC-3')] },
      ['AC-2 is unverified'],
      [],
    ],
    [
      'a pass without evidence',
      { judged: [pass('AC-1'), pass('AC-2'), { id: 'AC-3', status: 'pass', evidence: [] }] },
      ['AC-3 has no evidence'],
      [],
    ],
    ['an unjudged criterion', { judged: [pass('AC-1'), pass('AC-3')] }, ['AC-2 was not judged'], ['AC-2']],
    [
      'a judged id the alignment does not have',
      { judged: [...GOOD.judged, pass('AC-9')] },
      ['AC-9 was judged but is not an acceptance criterion of the alignment'],
      [],
    ],
    [
      'a criterion judged twice',
      { judged: [...GOOD.judged, { id: 'AC-2', status: 'fail', evidence: [] }] },
      ['AC-2 was judged more than once'],
      [],
    ],
    [
      'a failing check',
      { checks: [TEST_PASSED, { command: 'npm run lint', exitCode: 1, kind: 'test-failure' }] },
      ['check `npm run lint` failed (exit 1)'],
      [],
    ],
    [
      'a killed check',
      { checks: [{ command: 'npm test', exitCode: null, kind: 'environment-failure' }] },
      ['check `npm test` could not run properly (environment failure, killed, no exit code)'],
      [],
    ],
    [
      'a check that could not start',
      { checks: [{ command: 'pytest', exitCode: 127, kind: 'environment-failure' }] },
      ['check `pytest` could not run properly (environment failure, exit 127)'],
      [],
    ],
    [
      'a check whose exit code and kind disagree',
      { checks: [{ command: 'make', exitCode: 0, kind: 'environment-failure' }] },
      ['check `make` could not run properly (environment failure, exit 0)'],
      [],
    ],
    [
      'a command with backticks',
      { checks: [{ command: 'echo `date`', exitCode: 2, kind: 'test-failure' }] },
      ['check `` echo `date` `` failed (exit 2)'],
      [],
    ],
    [
      'an unrequested change with a path',
      { gaps: [{ kind: 'unrequested', detail: 'rewrote mean', path: 'src/x.js' }] },
      ['src/x.js changed outside the agreed scope'],
      [],
    ],
    [
      'an unrequested change without a path',
      { gaps: [{ kind: 'unrequested', detail: 'added a dependency' }] },
      ['a change outside the agreed scope: added a dependency'],
      [],
    ],
    [
      'a contradiction',
      {
        gaps: [
          { kind: 'contradicts', detail: 'empty list returns 0, spec says RangeError', path: 'src/m.js' },
        ],
      },
      ['src/m.js contradicts the alignment: empty list returns 0, spec says RangeError'],
      [],
    ],
    [
      'an alignment without criteria',
      { criteria: [], judged: [] },
      ['the alignment has no acceptance criteria to verify'],
      [],
    ],
  ])('fails for %s', (_name, change, reasons, missing) => {
    expect(computeVerdict({ ...GOOD, ...change })).toEqual({ verdict: 'fail', reasons, missing });
  });

  it.each([
    [{ kind: 'missing' as const, detail: 'no changelog entry' }],
    [{ kind: 'partial' as const, detail: 'error message wording differs', path: 'src/median.js' }],
  ])('does not fail for the non-blocking gap %j', (gap) => {
    expect(computeVerdict({ ...GOOD, gaps: [gap] }).verdict).toBe('pass');
  });

  it('passes with no checks configured', () => {
    expect(computeVerdict({ ...GOOD, checks: [] }).verdict).toBe('pass');
  });

  it('lists every failing rule in order: criteria, unknown and duplicate ids, checks, gaps', () => {
    const result = computeVerdict({
      criteria: [{ id: 'AC-1' }, { id: 'AC-2' }, { id: 'AC-3' }, { id: 'AC-4' }],
      judged: [
        { id: 'AC-1', status: 'partial', evidence: [] },
        { id: 'AC-3', status: 'pass', evidence: [] },
        pass('AC-4'),
        pass('AC-4'),
        pass('AC-7'),
      ],
      checks: [{ command: 'npm test', exitCode: 1, kind: 'test-failure' }],
      gaps: [{ kind: 'unrequested', detail: 'touched mean', path: 'src/mean.js' }],
    });
    expect(result).toEqual({
      verdict: 'fail',
      reasons: [
        'AC-1 is partial',
        'AC-2 was not judged',
        'AC-3 has no evidence',
        'AC-7 was judged but is not an acceptance criterion of the alignment',
        'AC-4 was judged more than once',
        'check `npm test` failed (exit 1)',
        'src/mean.js changed outside the agreed scope',
      ],
      missing: ['AC-2'],
    });
  });
});
