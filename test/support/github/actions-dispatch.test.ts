import { rm } from 'node:fs/promises';
import type { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitFiles } from './commit-files.ts';
import { type LocalGitHub, startLocalGitHub, type WorkflowRun } from './local-github.ts';
import { localOctokit } from './local-octokit.ts';
import { PHASE_WORKFLOW, workflowSeed } from './workflow-fixture.ts';

const TOKEN = 'ghs_dispatch';
const repoParams = { owner: 'octo', repo: 'demo' };
const INPUTS = { session: 'phase-1.2-20250101', phase: 'alignment', 'issue-number': '7' };
const dispatch = { ...repoParams, workflow_id: 'ipo-phase.yml', ref: 'main', inputs: INPUTS };

describe('local GitHub workflow dispatch', () => {
  let github: LocalGitHub;
  let octokit: Octokit;
  let seed: string;

  beforeAll(async () => {
    seed = await workflowSeed({
      'ipo-phase.yml': PHASE_WORKFLOW,
      'ci.yml': 'name: CI\non: push\njobs: {}\n',
    });
    github = await startLocalGitHub({ ...repoParams, tokens: { [TOKEN]: 'ipo-app[bot]' }, seed });
    octokit = localOctokit(github, TOKEN);
  });

  afterAll(async () => {
    await github.close();
    await rm(seed, { recursive: true, force: true });
  });

  it('answers return_run_details with the new queued run, named by the expanded run-name', async () => {
    const response = await octokit.rest.actions.createWorkflowDispatch({
      ...dispatch,
      return_run_details: true,
    });
    expect(response.status).toBe(200);
    const details = response.data as unknown as {
      workflow_run_id: number;
      run_url: string;
      html_url: string;
    };
    const { data: run } = await octokit.rest.actions.getWorkflowRun({
      ...repoParams,
      run_id: details.workflow_run_id,
    });
    const main = (await octokit.rest.git.getRef({ ...repoParams, ref: 'heads/main' })).data.object.sha;
    expect(details).toEqual({ workflow_run_id: run.id, run_url: run.url, html_url: run.html_url });
    expect(run).toMatchObject({
      name: 'ipo phase',
      display_title: 'ipo phase-1.2-20250101 alignment #1 (issue 7)',
      event: 'workflow_dispatch',
      status: 'queued',
      conclusion: null,
      head_branch: 'main',
      head_sha: main,
      path: '.github/workflows/ipo-phase.yml',
      run_number: 1,
      actor: { login: 'ipo-app[bot]' },
      repository: { full_name: 'octo/demo' },
      head_commit: { id: main, message: 'Initial commit' },
      html_url: `${github.webUrl}/octo/demo/actions/runs/${run.id}`,
    });
    expect(github.actions.run(run.id)?.inputs).toEqual({
      ...INPUTS,
      attempt: '1',
      'previous-run-id': '',
      a: '',
      b: '',
      c: '',
      d: '',
      e: '',
      f: '',
    });
  });

  it('answers 204 without return_run_details, and numbers runs per workflow', async () => {
    const response = await octokit.rest.actions.createWorkflowDispatch({
      ...dispatch,
      inputs: { ...INPUTS, attempt: '2' },
    });
    expect(response.status).toBe(204);
    const { data } = await octokit.rest.actions.listWorkflowRuns({
      ...repoParams,
      workflow_id: 'ipo-phase.yml',
    });
    expect(data.workflow_runs[0]).toMatchObject({
      run_number: data.total_count,
      display_title: expect.stringContaining('#2'),
    });
  });

  it('accepts the numeric workflow id as well as the file name', async () => {
    const { data: workflow } = await octokit.rest.actions.getWorkflow({
      ...repoParams,
      workflow_id: 'ipo-phase.yml',
    });
    expect(workflow).toMatchObject({
      name: 'ipo phase',
      path: '.github/workflows/ipo-phase.yml',
      state: 'active',
    });
    const response = await octokit.rest.actions.createWorkflowDispatch({
      ...dispatch,
      workflow_id: workflow.id,
    });
    expect(response.status).toBe(204);
  });

  it.each([
    ['an unknown workflow file', { workflow_id: 'nope.yml' }, 404, 'Not Found'],
    ['an unknown numeric workflow id', { workflow_id: 424242 }, 404, 'Not Found'],
    ['a ref that does not exist', { ref: 'no-such-branch' }, 422, 'No ref found for: no-such-branch'],
    [
      'a workflow without workflow_dispatch',
      { workflow_id: 'ci.yml' },
      422,
      "Workflow does not have 'workflow_dispatch' trigger",
    ],
    [
      'more than 10 inputs',
      {
        inputs: { ...INPUTS, attempt: '1', a: '', b: '', c: '', d: '', e: '', f: '', 'previous-run-id': '' },
      },
      422,
      'you may only define up to 10 `inputs`',
    ],
    [
      'an undeclared input',
      { inputs: { ...INPUTS, bogus: 'x' } },
      422,
      'Unexpected inputs provided: ["bogus"]',
    ],
    [
      'a missing required input',
      { inputs: { session: 's', phase: 'alignment' } },
      422,
      "Required input 'issue-number' not provided",
    ],
  ])('refuses %s like GitHub', async (_case, change, status, message) => {
    const before = github.actions.runs.length;
    await expect(
      octokit.rest.actions.createWorkflowDispatch({ ...dispatch, ...change }),
    ).rejects.toMatchObject({
      status,
      response: { data: { message: expect.stringContaining(message) } },
    });
    expect(github.actions.runs).toHaveLength(before);
  });

  it('reads the workflow file from the dispatched ref, so a file only on a branch dispatches only there', async () => {
    await commitFiles(github.gitDir(), 'feature', {
      '.github/workflows/only-here.yml': 'name: Only here\non: workflow_dispatch\n',
    });
    await expect(
      octokit.rest.actions.createWorkflowDispatch({
        ...repoParams,
        workflow_id: 'only-here.yml',
        ref: 'main',
      }),
    ).rejects.toMatchObject({ status: 404 });
    const response = await octokit.rest.actions.createWorkflowDispatch({
      ...repoParams,
      workflow_id: 'only-here.yml',
      ref: 'feature',
      return_run_details: true,
    });
    const runId = (response.data as unknown as { workflow_run_id: number }).workflow_run_id;
    expect(github.run(runId)).toMatchObject({
      name: 'Only here',
      display_title: 'Only here',
      head_branch: 'feature',
    });
  });

  it('calls onDispatch hooks with the run and its inputs, without waiting for them, and keeps their errors', async () => {
    const seen: Array<[WorkflowRun, Record<string, unknown>]> = [];
    let release = () => {};
    const stop = github.onDispatch(async (run, inputs) => {
      seen.push([run, inputs]);
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    const failing = github.onDispatch(() => Promise.reject(new Error('harness broke')));
    const response = await octokit.rest.actions.createWorkflowDispatch({
      ...dispatch,
      return_run_details: true,
    });
    const runId = (response.data as unknown as { workflow_run_id: number }).workflow_run_id;
    expect(seen).toHaveLength(1);
    expect(seen[0]?.[0]).toMatchObject({ id: runId, status: 'queued' });
    expect(seen[0]?.[1]).toMatchObject({ ...INPUTS, attempt: '1' });
    release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(github.hookErrors).toEqual([new Error('harness broke')]);

    stop();
    failing();
    github.hookErrors.length = 0;
    await octokit.rest.actions.createWorkflowDispatch(dispatch);
    expect(seen).toHaveLength(1);
    expect(github.hookErrors).toEqual([]);
  });
});

describe('local GitHub workflow dispatch without run details (GitHub before 2025)', () => {
  it('answers 204 even when return_run_details is asked, so the app must find its run by name', async () => {
    const seed = await workflowSeed({ 'ipo-phase.yml': PHASE_WORKFLOW });
    const github = await startLocalGitHub({
      ...repoParams,
      tokens: [TOKEN],
      seed,
      dispatchReturnsRunDetails: false,
    });
    try {
      const octokit = localOctokit(github, TOKEN);
      const response = await octokit.rest.actions.createWorkflowDispatch({
        ...dispatch,
        return_run_details: true,
      });
      expect(response.status).toBe(204);
      const { data } = await octokit.rest.actions.listWorkflowRunsForRepo({
        ...repoParams,
        event: 'workflow_dispatch',
      });
      expect(data.workflow_runs.map((r) => r.display_title)).toEqual([
        'ipo phase-1.2-20250101 alignment #1 (issue 7)',
      ]);
    } finally {
      await github.close();
      await rm(seed, { recursive: true, force: true });
    }
  });
});
