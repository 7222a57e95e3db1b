import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitFiles } from './commit-files.ts';
import { type LocalGitHub, startLocalGitHub } from './local-github.ts';
import { localOctokit } from './local-octokit.ts';
import { readZip } from './read-zip.ts';
import { PHASE_WORKFLOW, workflowSeed } from './workflow-fixture.ts';

const TOKEN = 'ghs_runs';
const repoParams = { owner: 'octo', repo: 'demo' };
const inputs = (attempt: number) => ({
  session: 's-1',
  phase: 'alignment',
  'issue-number': '1',
  attempt: String(attempt),
});

describe('local GitHub workflow runs and artifacts', () => {
  let github: LocalGitHub;
  let octokit: Octokit;
  let seed: string;
  let clock = new Date('2025-06-10T09:00:00Z');
  const runIds: number[] = [];

  beforeAll(async () => {
    seed = await workflowSeed({
      'ipo-phase.yml': PHASE_WORKFLOW,
      'other.yml': 'name: Other\non: workflow_dispatch\n',
    });
    github = await startLocalGitHub({ ...repoParams, tokens: [TOKEN], seed, now: () => clock });
    octokit = localOctokit(github, TOKEN);
    await commitFiles(github.gitDir(), 'ipo/s-1', { 'work.txt': 'x' });
    // Five runs, a day apart: three on main, one on the session branch, one of another workflow.
    const plan = [
      ['ipo-phase.yml', 'main', inputs(1)],
      ['ipo-phase.yml', 'main', inputs(2)],
      ['ipo-phase.yml', 'ipo/s-1', inputs(3)],
      ['other.yml', 'main', {}],
      ['ipo-phase.yml', 'main', inputs(4)],
    ] as const;
    for (const [workflow_id, ref, given] of plan) {
      const { data } = await octokit.rest.actions.createWorkflowDispatch({
        ...repoParams,
        workflow_id,
        ref,
        inputs: given,
        return_run_details: true,
      });
      runIds.push((data as unknown as { workflow_run_id: number }).workflow_run_id);
      clock = new Date(clock.getTime() + 86_400_000);
    }
    const id = (i: number) => runIds[i] ?? 0;
    github.updateRun(id(0), { status: 'in_progress' });
    github.updateRun(id(0), { status: 'completed', conclusion: 'success' });
    github.updateRun(id(1), { status: 'completed', conclusion: 'failure' });
    github.updateRun(id(2), { status: 'in_progress' });
  });

  afterAll(async () => {
    await github.close();
    await rm(seed, { recursive: true, force: true });
  });

  const listIds = async (query: Record<string, string>) => {
    const { data } = await octokit.rest.actions.listWorkflowRunsForRepo({ ...repoParams, ...query });
    return { total: data.total_count, ids: data.workflow_runs.map((r) => runIds.indexOf(r.id)) };
  };

  it.each([
    [{}, [4, 3, 2, 1, 0]],
    [{ branch: 'main' }, [4, 3, 1, 0]],
    [{ branch: 'ipo/s-1' }, [2]],
    [{ status: 'completed' }, [1, 0]],
    [{ status: 'success' }, [0]],
    [{ status: 'failure' }, [1]],
    [{ status: 'queued' }, [4, 3]],
    [{ status: 'in_progress' }, [2]],
    [{ event: 'push' }, []],
    [{ event: 'workflow_dispatch', created: '>=2025-06-12' }, [4, 3, 2]],
    [{ created: '2025-06-11' }, [1]],
    [{ created: '2025-06-10..2025-06-11', branch: 'main' }, [1, 0]],
  ])('lists the runs matching %j, newest first', async (query, expected) => {
    expect(await listIds(query)).toEqual({ total: expected.length, ids: expected });
  });

  it('paginates with total_count and link headers that octokit.paginate follows', async () => {
    const first = await octokit.rest.actions.listWorkflowRunsForRepo({ ...repoParams, per_page: 2 });
    expect(first.data).toMatchObject({
      total_count: 5,
      workflow_runs: [{ id: runIds[4] }, { id: runIds[3] }],
    });
    expect(first.headers.link).toContain('rel="next"');
    const all = await octokit.paginate(octokit.rest.actions.listWorkflowRunsForRepo, {
      ...repoParams,
      per_page: 2,
    });
    expect(all.map((r) => r.id)).toEqual([...runIds].reverse());
  });

  it('lists the runs of one workflow, by file name or id, and 404s an unknown one', async () => {
    const { data } = await octokit.rest.actions.listWorkflowRuns({ ...repoParams, workflow_id: 'other.yml' });
    expect(data.workflow_runs.map((r) => r.id)).toEqual([runIds[3]]);
    const byId = await octokit.rest.actions.listWorkflowRuns({
      ...repoParams,
      workflow_id: data.workflow_runs[0]?.workflow_id ?? 0,
    });
    expect(byId.data.total_count).toBe(1);
    await expect(
      octokit.rest.actions.listWorkflowRuns({ ...repoParams, workflow_id: 'gone.yml' }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('cancels a run that has not completed, and refuses to cancel a completed one', async () => {
    const [done, , , , queued] = runIds;
    const response = await octokit.rest.actions.cancelWorkflowRun({ ...repoParams, run_id: queued ?? 0 });
    expect(response.status).toBe(202);
    expect(github.run(queued ?? 0)).toMatchObject({ status: 'completed', conclusion: 'cancelled' });
    expect(github.actions.run(queued ?? 0)?.cancelRequested).toBe(true);
    await expect(
      octokit.rest.actions.cancelWorkflowRun({ ...repoParams, run_id: done ?? 0 }),
    ).rejects.toMatchObject({
      status: 409,
      response: { data: { message: 'Cannot cancel a workflow run that is completed.' } },
    });
    await expect(octokit.rest.actions.getWorkflowRun({ ...repoParams, run_id: 1 })).rejects.toMatchObject({
      status: 404,
    });
  });

  it.each([
    [{ status: 'completed' as const }, 'status completed with conclusion null'],
    [
      { status: 'in_progress' as const, conclusion: 'success' as const },
      'status in_progress with conclusion success',
    ],
  ])('refuses to move a run to %j', (change, message) => {
    expect(() => github.updateRun(runIds[2] ?? 0, change)).toThrow(message);
  });

  it('serves an uploaded artifact: listed on its run, zip behind a 302, readable by readZip and by Python', async () => {
    const runId = runIds[0] ?? 0;
    const files = { 'session.json': '{"session":"s-1"}', 'logs/phase.txt': 'done\n'.repeat(50) };
    const uploaded = github.addArtifact(runId, 'ipo-s-1-alignment-1', files);
    github.addArtifact(runId, 'transcripts', { 'x.txt': 'x' });
    expect(() => github.addArtifact(runId, 'transcripts', {})).toThrow(
      'already has an artifact named transcripts',
    );

    const { data: list } = await octokit.rest.actions.listWorkflowRunArtifacts({
      ...repoParams,
      run_id: runId,
    });
    expect(list.total_count).toBe(2);
    const { data: named } = await octokit.rest.actions.listWorkflowRunArtifacts({
      ...repoParams,
      run_id: runId,
      name: 'ipo-s-1-alignment-1',
    });
    expect(named.artifacts).toEqual([uploaded]);
    expect(uploaded).toMatchObject({ workflow_run: { id: runId, head_branch: 'main' }, expired: false });

    const redirect = await fetch(uploaded.archive_download_url, {
      headers: { authorization: `token ${TOKEN}` },
      redirect: 'manual',
    });
    expect(redirect.status).toBe(302);
    const location = redirect.headers.get('location') ?? '';
    expect(location.startsWith(`${github.webUrl}/_artifacts/`)).toBe(true);
    expect((await fetch(location)).headers.get('content-type')).toBe('application/zip');

    const download = await octokit.rest.actions.downloadArtifact({
      ...repoParams,
      artifact_id: uploaded.id,
      archive_format: 'zip',
    });
    const zip = Buffer.from(download.data as ArrayBuffer);
    expect(zip.length).toBe(uploaded.size_in_bytes);
    expect(readZip(zip)).toEqual({
      'logs/phase.txt': Buffer.from(files['logs/phase.txt']),
      'session.json': Buffer.from(files['session.json']),
    });

    const dir = await mkdtemp(join(tmpdir(), 'local-github-artifact-'));
    try {
      await writeFile(join(dir, 'a.zip'), zip);
      const { stdout } = await promisify(execFile)('python3', ['-m', 'zipfile', '-l', join(dir, 'a.zip')]);
      expect(stdout).toMatch(/logs\/phase\.txt[\s\S]*session\.json/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('does not serve an artifact download URL with a wrong key', async () => {
    const artifact = github.actions.artifacts[0];
    const response = await fetch(`${github.webUrl}/_artifacts/${artifact?.id}/wrong-key/x.zip`);
    expect(response.status).toBe(404);
  });
});
