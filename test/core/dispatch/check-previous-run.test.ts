import { describe, expect, it } from 'vitest';
import { checkPreviousRun, type PreviousRun } from '../../../src/core/dispatch/check-previous-run.ts';

const WANT = {
  repository: 'acme/tally',
  workflow: 'ipo.yml',
  defaultBranch: 'main',
  session: 'phase-1.3-20260115',
  issueNumber: 7,
};
const good = (): PreviousRun => ({
  id: 42,
  repository: 'acme/tally',
  headRepository: 'acme/tally',
  path: '.github/workflows/ipo.yml',
  headBranch: 'main',
  headSha: 'a'.repeat(40),
  event: 'workflow_dispatch',
  displayTitle: 'ipo phase-1.3-20260115 implementation #2 (issue 7)',
  status: 'completed',
  conclusion: 'success',
});

describe('checkPreviousRun: which run a session may import state from', () => {
  it.each([
    ['a succeeded (or blocked) phase', { conclusion: 'success' }],
    ['a failed phase, which still exported its ledger', { conclusion: 'failure' }],
    // GitHub's own example of a run shows `path` with the ref appended.
    ['a path GitHub suffixed with the ref', { path: '.github/workflows/ipo.yml@main' }],
    ['a repository named in another case', { repository: 'Acme/Tally', headRepository: 'ACME/tally' }],
  ])('takes %s and names its state artifact exactly', (_case, change) => {
    expect(checkPreviousRun({ ...good(), ...change }, WANT)).toEqual({
      ok: true,
      artifact: 'ipo-phase-1.3-20260115-implementation-2',
    });
  });

  it.each([
    [
      'a run in another repository',
      { repository: 'mallory/tally' },
      /belongs to mallory\/tally, not acme\/tally/,
    ],
    ["a fork's run", { headRepository: 'mallory/tally' }, /ran code from mallory\/tally, a fork/],
    ['a pull_request run', { event: 'pull_request' }, /triggered by pull_request, not workflow_dispatch/],
    [
      'a run of another workflow',
      { path: '.github/workflows/ci.yml' },
      /is a run of .github\/workflows\/ci.yml, not/,
    ],
    [
      'a run from another branch',
      { headBranch: 'ipo/phase-1.3-20260115' },
      /from ipo\/phase-1.3-20260115, not the default branch main/,
    ],
    [
      'a run whose path names another ref',
      { path: '.github/workflows/ipo.yml@evil' },
      /not the default branch/,
    ],
    [
      "another session's run",
      { displayTitle: 'ipo phase-1.4-20260115 implementation #2 (issue 7)' },
      /is not a run of session phase-1.3-20260115/,
    ],
    [
      "another issue's run",
      { displayTitle: 'ipo phase-1.3-20260115 implementation #2 (issue 8)' },
      /on issue #7/,
    ],
    ['a run named anything else', { displayTitle: 'CI' }, /\("CI"\) is not a run of session/],
    ['a run still in progress', { status: 'in_progress', conclusion: null }, /is in_progress, not completed/],
    ['a cancelled run', { conclusion: 'cancelled' }, /ended cancelled, which never exports state/],
    ['a timed-out run', { conclusion: 'timed_out' }, /ended timed_out/],
  ])('refuses %s', (_case, change, reason) => {
    const result = checkPreviousRun({ ...good(), ...change } as PreviousRun, WANT);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(/^previous run 42 /);
    expect(result.ok ? '' : result.reason).toMatch(reason);
  });

  it('refuses a run other than the one the status comment records', () => {
    expect(checkPreviousRun(good(), { ...WANT, recordedRunId: 41 })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not the last run the status comment records \(41\)/),
    });
    expect(checkPreviousRun(good(), { ...WANT, recordedRunId: 42 }).ok).toBe(true);
  });
});
