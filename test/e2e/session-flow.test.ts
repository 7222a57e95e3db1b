import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCRIPT } from '../../src/cli/commands/demo.ts';
import { loadScript } from '../../src/replay/load-script.ts';
import { schemaValidator } from '../support/ajv.ts';
import { localOctokit } from '../support/github/local-octokit.ts';
import { readZip } from '../support/github/read-zip.ts';
import { AGENT_TOKEN, type E2E, OWNER, REPO, startE2E } from './e2e-harness.ts';

const SCHEMAS = join(import.meta.dirname, '../../schemas');

const exec = promisify(execFile);

describe('end to end on a local GitHub: a whole session driven by comments', () => {
  let e: E2E;
  const octokit = () => localOctokit(e.github, 'ghs_runner_job_token_0123456789');
  beforeAll(async () => {
    e = await startE2E(await loadScript(DEMO_SCRIPT));
  }, 60_000);
  afterAll(async () => {
    await e?.close();
  });

  it('Given a maintainer starts task 1.3, When alignment runs, Then the gate to implementation opens', async () => {
    expect(await e.comment('maintainer', "I'm going to start implementation of phase 1.3")).toBe(200);
    const marker = await e.marker();
    expect(
      e.runner.records.map((r) => `${r.phase}:${r.conclusion}`),
      e.runner.records.at(-1)?.stdout,
    ).toEqual(['alignment:success']);
    expect(marker?.state).toMatchObject({ kind: 'awaiting', gate: 'implementation' });
    expect(e.comments().at(-1)?.body).toContain('`proceed to implementation`');
  }, 120_000);

  it('When each gate is opened with its exact phrase, Then every phase runs and the PR ends ready with one commit', async () => {
    await e.comment('maintainer', 'proceed to implementation');
    await e.comment('writer', 'proceed to verification');
    await e.comment('maintainer', 'proceed to commit');
    expect(e.runner.records.map((r) => `${r.phase}:${r.conclusion}`)).toEqual([
      'alignment:success',
      'implementation:success',
      'verification:success',
      'commit:success',
    ]);
    const marker = await e.marker();
    expect(marker?.state).toEqual({ kind: 'complete' });
    const pull = e.github.state.pulls[0];
    expect(pull).toMatchObject({ draft: false, head: `ipo/${marker?.session}` });
    const gitDir = e.github.gitDir();
    const { stdout } = await exec('git', [
      '--git-dir',
      gitDir,
      'log',
      '--format=%B',
      '-1',
      `ipo/${marker?.session}`,
    ]);
    expect(stdout).toContain('Approved-by: writer (proceed to verification)');
    const { stdout: count } = await exec('git', [
      '--git-dir',
      gitDir,
      'rev-list',
      '--count',
      `main..ipo/${marker?.session}`,
    ]);
    expect(count.trim()).toBe('1');
  }, 240_000);

  it('Then the sticky comment shows four succeeded phases with figures, and every artifact validates (ajv)', async () => {
    const sticky = e.comments().find((c) => c.body.includes('ipo:status'))?.body ?? '';
    for (const phase of ['alignment', 'implementation', 'verification', 'commit']) {
      expect(sticky).toMatch(new RegExp(`\\| ${phase} \\| ✅ succeeded \\| 1 \\|`));
    }
    expect(sticky).toMatch(/\$0\.\d{4}/);
    const commitRun = e.runner.records.find((r) => r.phase === 'commit');
    const { data } = await octokit().rest.actions.listWorkflowRunArtifacts({
      owner: OWNER,
      repo: REPO,
      run_id: commitRun?.runId ?? 0,
    });
    // By its exact name, the one the next phase would import (the write job's), not the agent job's upload.
    const state = data.artifacts.find((a) => a.name === commitRun?.outputs['artifact-name']);
    expect(state?.name).toMatch(/^ipo-phase-1\.3-\d{8}-commit-1$/);
    const zip = await octokit().rest.actions.downloadArtifact({
      owner: OWNER,
      repo: REPO,
      artifact_id: state?.id ?? 0,
      archive_format: 'zip',
    });
    const files = readZip(Buffer.from(zip.data as ArrayBuffer));
    expect(Object.keys(files).sort()).toEqual([
      'alignment.json',
      'commit.json',
      'implementation.json',
      'session.json',
      'verification.json',
    ]);
    const ajv = schemaValidator();
    for (const [file, bytes] of Object.entries(files)) {
      const name = file === 'session.json' ? 'ledger' : file.replace('.json', '');
      const validate = ajv.compile(JSON.parse(await readFile(join(SCHEMAS, `${name}.json`), 'utf8')));
      expect(
        validate(JSON.parse(bytes.toString('utf8'))),
        `${file}: ${ajv.errorsText(validate.errors)}`,
      ).toBe(true);
    }
  });

  it('Then the verification job sent the model nothing from the implementation transcript', () => {
    const verification = e.replay.requests.filter((r) => r.match?.conversation === 'verification');
    expect(verification.length).toBeGreaterThan(0);
    for (const request of verification) expect(JSON.stringify(request.body)).not.toContain('working note 2');
  });

  it('Then no Action process that ran the model was given the write token or the state key', () => {
    const agentRuns = e.runner.records.filter((r) => r.agentEnv);
    expect(agentRuns.map((r) => r.phase)).toEqual(['alignment', 'implementation', 'verification', 'commit']);
    for (const run of agentRuns) {
      const values = Object.values(run.agentEnv ?? {});
      expect(values).not.toContain('ghs_runner_job_token_0123456789');
      expect(run.agentEnv?.['INPUT_GITHUB-TOKEN']).toBe(AGENT_TOKEN);
      expect(Object.keys(run.agentEnv ?? {})).not.toContain('INPUT_STATE-KEY');
      expect(e.stateKey).toBeTruthy();
      for (const value of values) expect(value).not.toContain(e.stateKey);
    }
  });
});
