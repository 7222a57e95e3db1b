import type { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runName } from '../../src/core/dispatch/run-name.ts';
import { checkPreviousRunOnGitHub } from '../../src/github/previous-run.ts';
import { commitFiles } from '../support/github/commit-files.ts';
import type { RepoRecord } from '../support/github/github-state.ts';
import { type LocalGitHub, startLocalGitHub } from '../support/github/local-github.ts';
import { localOctokit } from '../support/github/local-octokit.ts';

const TOKEN = 'ghs_previous_run';
const repo = { owner: 'octo', repo: 'demo' };
const SESSION = 'phase-2.4-20260115';
const WORKFLOW = '.github/workflows/ipo.yml';
const WANT = {
  repository: 'octo/demo',
  workflow: 'ipo.yml',
  defaultBranch: 'main',
  session: SESSION,
  issueNumber: 3,
};

/** The rule the app and the job share, against the local GitHub's runs and compare API. */
describe('checkPreviousRunOnGitHub', () => {
  let github: LocalGitHub;
  let octokit: Octokit;
  let record: RepoRecord;
  let main: string;
  let elsewhere: string;

  beforeAll(async () => {
    github = await startLocalGitHub({ ...repo, tokens: { [TOKEN]: 'github-actions[bot]' } });
    octokit = localOctokit(github, TOKEN);
    const found = github.state.repo('octo', 'demo');
    if (!found) throw new Error('no repository');
    record = found;
    main = (await record.git.ref('refs/heads/main'))?.sha ?? '';
    elsewhere = await commitFiles(github.gitDir(), 'tagged', { 'EVIL.md': 'a workflow of its own\n' });
  });
  afterAll(() => github.close());

  async function run(headSha: string): Promise<number> {
    const added = github.actions.addRun(github.actions.workflow(record, WORKFLOW, WORKFLOW), {
      displayTitle: runName({ session: SESSION, phase: 'alignment', attempt: 1, issueNumber: 3 }),
      event: 'workflow_dispatch',
      headBranch: 'main',
      headSha,
      headCommit: await record.git.commit(headSha),
      actor: 'github-actions[bot]',
      inputs: {},
    });
    github.updateRun(added.id, { status: 'completed', conclusion: 'success' });
    return added.id;
  }

  it('takes a run of main, with or without the commit the status comment records', async () => {
    const id = await run(main);
    const ok = { ok: true, artifact: `ipo-${SESSION}-alignment-1` };
    expect(await checkPreviousRunOnGitHub(octokit, repo, id, WANT)).toEqual(ok);
    expect(await checkPreviousRunOnGitHub(octokit, repo, id, { ...WANT, recordedSha: main })).toEqual(ok);
  });

  it('makes two calls, the run and the compare, when the commit is recorded (one round: test/app/round-trips.test.ts)', async () => {
    const id = await run(main);
    const before = github.requests.length;
    await checkPreviousRunOnGitHub(octokit, repo, id, { ...WANT, recordedSha: main });
    const calls = github.requests.slice(before).map((r) => r.path.replace(/\/\d+$/, '/:id').split('/')[4]);
    expect(calls.sort()).toEqual(['actions', 'compare']);
    // The app also asks for the run's artifacts (an expired state is refused), in that same round.
    const withArtifacts = github.requests.length;
    await checkPreviousRunOnGitHub(octokit, repo, id, {
      ...WANT,
      recordedSha: main,
      expiredStateRefused: true,
    });
    expect(github.requests.slice(withArtifacts).map((r) => r.path.split('/').at(-1))).toEqual(
      expect.arrayContaining(['artifacts']),
    );
  });

  it.each([
    ['a run whose commit is not on main (a tag named main), nothing recorded', 'elsewhere', undefined],
    ['a run whose commit is not on main, which the status comment records too', 'elsewhere', 'elsewhere'],
  ] as const)('refuses %s', async (_case, ran, recorded) => {
    const sha = ran === 'elsewhere' ? elsewhere : main;
    const id = await run(sha);
    const want = recorded ? { ...WANT, recordedSha: elsewhere } : WANT;
    expect(await checkPreviousRunOnGitHub(octokit, repo, id, want)).toEqual({
      ok: false,
      reason: expect.stringMatching(
        new RegExp(
          `^previous run ${id} ran commit ${elsewhere.slice(0, 7)}, which is not on the history of main`,
        ),
      ),
    });
  });

  it('refuses a run that ran another commit than the one the status comment records', async () => {
    const id = await run(main);
    expect(await checkPreviousRunOnGitHub(octokit, repo, id, { ...WANT, recordedSha: elsewhere })).toEqual({
      ok: false,
      reason: `previous run ${id} ran ${main.slice(0, 7)}, not ${elsewhere.slice(0, 7)} as the status comment records`,
    });
  });

  it('refuses a run this repository does not have', async () => {
    expect(await checkPreviousRunOnGitHub(octokit, repo, 999_999, WANT)).toEqual({
      ok: false,
      reason: expect.stringMatching(/^previous run 999999 is not a run of octo\/demo/),
    });
  });
});
