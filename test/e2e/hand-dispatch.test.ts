import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCRIPT } from '../../src/cli/commands/demo.ts';
import { runName } from '../../src/core/dispatch/run-name.ts';
import { loadScript } from '../../src/replay/load-script.ts';
import { localOctokit } from '../support/github/local-octokit.ts';
import { type E2E, OWNER, REPO, startE2E } from './e2e-harness.ts';

// Someone with write access dispatches the phase workflow by hand, as the Actions tab or the API lets them.
const WRITER_TOKEN = 'ghs_writer_hand_dispatch_0123456789';

describe('Given a session at the gate to implementation, When someone dispatches the phase by hand', () => {
  let e: E2E;
  let session = '';
  let alignmentRun = 0;
  beforeAll(async () => {
    e = await startE2E(await loadScript(DEMO_SCRIPT), { [WRITER_TOKEN]: 'writer' });
    await e.comment('maintainer', "I'm going to start implementation of phase 1.3");
    const marker = await e.marker();
    session = marker?.session ?? '';
    alignmentRun = marker?.lastRunId ?? 0;
  }, 120_000);
  afterAll(async () => {
    await e?.close();
  });

  async function handDispatch(inputs: Record<string, string>) {
    const octokit = localOctokit(e.github, WRITER_TOKEN);
    const before = {
      runs: e.github.actions.runs.length,
      model: e.replay.requests.length,
      branch: (await octokit.rest.git.getRef({ owner: OWNER, repo: REPO, ref: `heads/ipo/${session}` })).data
        .object.sha,
      marker: JSON.stringify(await e.marker()),
    };
    await octokit.rest.actions.createWorkflowDispatch({
      owner: OWNER,
      repo: REPO,
      workflow_id: 'ipo.yml',
      ref: 'main',
      inputs: {
        session,
        phase: 'implementation',
        attempt: '1',
        'previous-run-id': String(alignmentRun),
        'issue-number': String(e.issue),
        'approved-sha': before.branch,
        ...inputs,
      },
    });
    await e.runner.idle();
    const after = {
      branch: (await octokit.rest.git.getRef({ owner: OWNER, repo: REPO, ref: `heads/ipo/${session}` })).data
        .object.sha,
    };
    return { before, after, run: e.runner.records.at(-1) };
  }

  it("Then a run whose comment-id names a reader's comment is refused by the job, and nothing moves", async () => {
    const reader = e.github.createComment(e.issue, { user: 'reader', body: 'proceed to implementation' });
    const { before, after, run } = await handDispatch({ 'comment-id': String(reader.id) });
    expect(run?.conclusion).toBe('failure');
    expect(run?.stdout).toMatch(/::error::comment \d+ was written by @reader, who has read access/);
    expect(e.replay.requests.length).toBe(before.model);
    expect(after.branch).toBe(before.branch);
    expect(e.github.actions.runs.length).toBe(before.runs + 1);
    expect(JSON.stringify(await e.marker())).toBe(before.marker);
  }, 120_000);

  it('Then a run whose previous-run-id names a pull_request run is refused before any artifact is read', async () => {
    const repo = e.github.state.repo(OWNER, REPO);
    const head = await repo?.git.ref('refs/heads/main');
    if (!repo || !head) throw new Error('no main');
    const pr = e.github.actions.addRun(e.github.actions.workflow(repo, '.github/workflows/ipo.yml', 'ipo'), {
      displayTitle: runName({ session, phase: 'alignment', attempt: 1, issueNumber: e.issue }),
      event: 'pull_request',
      headBranch: 'main',
      headSha: head.sha,
      headCommit: await repo.git.commit(head.sha),
      actor: 'writer',
      inputs: {},
    });
    e.github.updateRun(pr.id, { status: 'completed', conclusion: 'success' });
    e.github.addArtifact(pr.id, `ipo-${session}-alignment-1`, { 'session.json': '{}' });
    const approval = e.github.createComment(e.issue, {
      user: 'maintainer',
      body: 'proceed to implementation',
    });
    const requestsBefore = e.github.requests.length;
    const { before, after, run } = await handDispatch({
      'previous-run-id': String(pr.id),
      'comment-id': String(approval.id),
    });
    expect(run?.conclusion).toBe('failure');
    expect(run?.stdout).toMatch(
      /::error::previous run \d+ was triggered by pull_request, not workflow_dispatch/,
    );
    expect(e.github.requests.slice(requestsBefore).filter((r) => r.path.includes('/artifacts'))).toEqual([]);
    expect(e.replay.requests.length).toBe(before.model);
    expect(after.branch).toBe(before.branch);
    expect(JSON.stringify(await e.marker())).toBe(before.marker);
  }, 120_000);
});
