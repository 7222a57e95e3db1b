import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalGitHub, startLocalGitHub } from './local-github.ts';
import { localOctokit } from './local-octokit.ts';
import { workflowSeed } from './workflow-fixture.ts';

const TOKEN = 'ghs_concurrency';
const repo = { owner: 'octo', repo: 'demo' };
const dispatchOf = (file: string, session: string) => ({
  ...repo,
  workflow_id: file,
  ref: 'main',
  inputs: { session },
  return_run_details: true,
});
const workflow = (concurrency: string) =>
  `name: w\non:\n  workflow_dispatch:\n    inputs:\n      session: { required: true, type: string }\n${concurrency}jobs: {}\n`;

describe('workflow concurrency, as GitHub applies it: one running and one pending run per group', () => {
  let github: LocalGitHub;
  let octokit: Octokit;
  let seed: string;
  const dispatch = async (file: string, session: string) => {
    const { data } = await octokit.rest.actions.createWorkflowDispatch(dispatchOf(file, session));
    return (data as unknown as { workflow_run_id: number }).workflow_run_id;
  };
  const status = (id: number) => {
    const run = github.run(id);
    return `${run?.status}${run?.conclusion ? `/${run.conclusion}` : ''}`;
  };

  beforeAll(async () => {
    seed = await workflowSeed({
      'queue.yml': workflow(`concurrency:\n  group: s-\${{ inputs.session }}\n  cancel-in-progress: false\n`),
      'newest.yml': workflow(`concurrency:\n  group: n-\${{ inputs.session }}\n  cancel-in-progress: true\n`),
      'caller.yml': `name: caller\non:\n  workflow_dispatch:\n    inputs:\n      session: { required: true, type: string }\njobs:\n  phase:\n    uses: lib/flows/.github/workflows/called.yml@v1\n    with:\n      session: \${{ inputs.session }}\n`,
      'free.yml': workflow(''),
    });
    github = await startLocalGitHub({ ...repo, tokens: { [TOKEN]: 'ipo-app[bot]' }, seed });
    octokit = localOctokit(github, TOKEN);
    const lib = join(seed, 'lib');
    await mkdir(join(lib, '.github', 'workflows'), { recursive: true });
    await writeFile(
      join(lib, '.github', 'workflows', 'called.yml'),
      `on:\n  workflow_call:\n    inputs:\n      session: { required: true, type: string }\nconcurrency:\n  group: ipo-\${{ inputs.session }}\njobs: {}\n`,
    );
    await github.createRepo('lib', 'flows', lib);
    const main = await github.state.repo('lib', 'flows')?.git.ref('refs/heads/main');
    await github.state.repo('lib', 'flows')?.git.createRef('refs/tags/v1', main?.sha ?? '');
  });
  afterAll(async () => {
    await github.close();
    await rm(seed, { recursive: true, force: true });
  });

  it('keeps a second run pending, and cancels it when a third arrives, which then waits in its place', async () => {
    const first = await dispatch('queue.yml', 'a');
    github.updateRun(first, { status: 'in_progress' });
    const second = await dispatch('queue.yml', 'a');
    expect([status(first), status(second)]).toEqual(['in_progress', 'pending']);
    const third = await dispatch('queue.yml', 'a');
    expect([status(first), status(second), status(third)]).toEqual([
      'in_progress',
      'completed/cancelled',
      'pending',
    ]);
    // Another group is not held up.
    expect(status(await dispatch('queue.yml', 'b'))).toBe('queued');
    github.updateRun(first, { status: 'completed', conclusion: 'success' });
    expect(status(third)).toBe('queued');
  });

  it('with cancel-in-progress, asks the running run to cancel', async () => {
    const first = await dispatch('newest.yml', 'a');
    github.updateRun(first, { status: 'in_progress' });
    const second = await dispatch('newest.yml', 'a');
    expect(github.actions.run(first)?.cancelRequested).toBe(true);
    expect(status(second)).toBe('pending');
  });

  it("takes the group of the reusable workflow a job calls, expanded with the caller's `with:`", async () => {
    const first = await dispatch('caller.yml', 'phase-1.3-20260101');
    expect(github.actions.run(first)?.concurrency).toEqual({
      group: 'ipo-phase-1.3-20260101',
      cancelInProgress: false,
    });
    expect(status(await dispatch('caller.yml', 'phase-1.3-20260101'))).toBe('pending');
    expect(github.actions.run(await dispatch('free.yml', 'x'))?.concurrency).toBeUndefined();
  });
});
