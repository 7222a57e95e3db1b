import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleAgentCommits, importAgentCommits } from '../../src/action/agent-commits.ts';

const exec = promisify(execFile);
const ID = ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid'];
const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map((r) => rm(r, { recursive: true, force: true })));
});

/** An approved commit, an agent clone that commits `files` on it, and a write-job clone at the approved commit. */
async function agentCommitted(files: Record<string, string>) {
  const root = await mkdtemp(join(tmpdir(), 'ipo-agent-commits-'));
  roots.push(root);
  const origin = join(root, 'origin');
  await exec('git', ['init', '--quiet', origin]);
  await exec('git', [...ID, 'commit', '--quiet', '--allow-empty', '-m', 'approved'], { cwd: origin });
  const approvedSha = (await exec('git', ['rev-parse', 'HEAD'], { cwd: origin })).stdout.trim();
  const agent = join(root, 'agent');
  await exec('git', ['clone', '--quiet', origin, agent]);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(agent, path)), { recursive: true });
    await writeFile(join(agent, path), text);
  }
  await exec('git', ['add', '--all'], { cwd: agent });
  await exec('git', [...ID, 'commit', '--quiet', '-m', 'agent'], { cwd: agent });
  const head = (await exec('git', ['rev-parse', 'HEAD'], { cwd: agent })).stdout.trim();
  const out = join(root, 'out');
  await mkdir(out);
  await bundleAgentCommits(agent, out, { start: approvedSha, head });
  const write = join(root, 'write');
  await exec('git', ['clone', '--quiet', origin, write]);
  return { write, out, approvedSha, head };
}

describe("importAgentCommits: the write job checks the agent job's commits before it pushes them", () => {
  it('takes commits on top of the approved sha', async () => {
    const c = await agentCommitted({ 'src/median.js': 'export {}\n' });
    await importAgentCommits(c.write, c.out, {
      phase: 'implementation',
      ...c,
      allowWorkflowChanges: false,
      tokenCanPushWorkflows: false,
    });
    const { stdout } = await exec('git', ['cat-file', '-t', c.head], { cwd: c.write });
    expect(stdout.trim()).toBe('commit');
  });

  it('refuses commits that change .github/workflows/ unless the config allows it', async () => {
    const c = await agentCommitted({ '.github/workflows/steal.yml': 'on: push\n', 'src/a.js': '1\n' });
    await expect(
      importAgentCommits(c.write, c.out, {
        phase: 'implementation',
        ...c,
        allowWorkflowChanges: false,
        tokenCanPushWorkflows: false,
      }),
    ).rejects.toThrow(
      'the commits change .github/workflows/steal.yml: changes under .github/workflows/ are refused unless .github/ipo.yml sets allowWorkflowChanges: true',
    );
    await expect(
      importAgentCommits(c.write, c.out, {
        phase: 'implementation',
        ...c,
        allowWorkflowChanges: true,
        tokenCanPushWorkflows: true,
      }),
    ).resolves.toEqual({ workflowFiles: ['.github/workflows/steal.yml'] });
  });

  it('refuses workflow changes the config allows when the write token cannot push them, naming the files and what to do', async () => {
    const c = await agentCommitted({ '.github/workflows/ci.yml': 'on: push\n', 'src/a.js': '1\n' });
    const refused = importAgentCommits(c.write, c.out, {
      phase: 'implementation',
      ...c,
      allowWorkflowChanges: true,
      tokenCanPushWorkflows: false,
    });
    await expect(refused).rejects.toThrow(
      /the commits change \.github\/workflows\/ci\.yml, which this token cannot push:\nGitHub refuses .* without the `workflows` permission/,
    );
    await expect(refused).rejects.toThrow(
      /"Workflows: write" as github-token and set workflows-write: true,\nor leave the workflow change out/,
    );
  });

  it('refuses commits that change a path the approved scope forbids, naming the paths and the rule', async () => {
    const c = await agentCommitted({
      'src/a.js': '1\n',
      'secrets/deploy.key': 'x\n',
      'config/prod.env': 'x\n',
    });
    const scope = { filesIn: ['src/**'], filesForbidden: ['secrets/**', 'config/prod.env'] };
    await expect(
      importAgentCommits(c.write, c.out, {
        phase: 'implementation',
        ...c,
        allowWorkflowChanges: false,
        tokenCanPushWorkflows: false,
        scope,
      }),
    ).rejects.toThrow(
      'the commits change config/prod.env, secrets/deploy.key, which the approved alignment forbids (scope.filesForbidden: secrets/**, config/prod.env)',
    );
  });

  it('refuses a forbidden path changed in one commit and changed back in the next: the branch still holds it', async () => {
    const c = await agentCommitted({ 'src/a.js': '1\n', 'secrets/deploy.key': 'stolen\n' });
    const agent = join(dirname(c.write), 'agent');
    await rm(join(agent, 'secrets'), { recursive: true });
    await exec('git', ['add', '--all'], { cwd: agent });
    await exec('git', [...ID, 'commit', '--quiet', '-m', 'hide it'], { cwd: agent });
    const head = (await exec('git', ['rev-parse', 'HEAD'], { cwd: agent })).stdout.trim();
    await rm(join(c.out, 'commits.bundle'));
    await bundleAgentCommits(agent, c.out, { start: c.approvedSha, head });
    const scope = { filesIn: ['src/**'], filesForbidden: ['secrets/'] };
    await expect(
      importAgentCommits(c.write, c.out, {
        phase: 'implementation',
        approvedSha: c.approvedSha,
        head,
        allowWorkflowChanges: false,
        tokenCanPushWorkflows: false,
        scope,
      }),
    ).rejects.toThrow('the commits change secrets/deploy.key, which the approved alignment forbids');
  });

  it('refuses a .github that is a symlink to a directory of workflows, though GitHub would not follow it', async () => {
    const c = await agentCommitted({ 'ci/workflows/steal.yml': 'on: push\n' });
    const agent = join(dirname(c.write), 'agent');
    await symlink('ci', join(agent, '.github'));
    await exec('git', ['add', '--all'], { cwd: agent });
    await exec('git', [...ID, 'commit', '--quiet', '-m', 'link'], { cwd: agent });
    const head = (await exec('git', ['rev-parse', 'HEAD'], { cwd: agent })).stdout.trim();
    await rm(join(c.out, 'commits.bundle'));
    await bundleAgentCommits(agent, c.out, { start: c.approvedSha, head });
    const rules = {
      phase: 'implementation' as const,
      approvedSha: c.approvedSha,
      head,
      allowWorkflowChanges: false,
      tokenCanPushWorkflows: false,
    };
    await expect(importAgentCommits(c.write, c.out, rules)).rejects.toThrow(
      'the commits change .github: changes under .github/workflows/ are refused',
    );
  });

  it('refuses a merge commit, whose own changes git log lists for no commit: an evil merge adding a workflow', async () => {
    const c = await agentCommitted({ 'src/a.js': '1\n' });
    const agent = join(dirname(c.write), 'agent');
    // A side line from the approved commit, merged back with a workflow and a forbidden file neither parent has.
    await exec('git', ['checkout', '--quiet', '-b', 'side', c.approvedSha], { cwd: agent });
    await writeFile(join(agent, 'side.txt'), 'side\n');
    await exec('git', ['add', '--all'], { cwd: agent });
    await exec('git', [...ID, 'commit', '--quiet', '-m', 'side'], { cwd: agent });
    await exec('git', ['checkout', '--quiet', '-'], { cwd: agent });
    await exec('git', [...ID, 'merge', '--quiet', '--no-ff', '--no-commit', 'side'], { cwd: agent });
    await mkdir(join(agent, '.github/workflows'), { recursive: true });
    await writeFile(join(agent, '.github/workflows/steal.yml'), 'on: push\n');
    await mkdir(join(agent, 'secrets'));
    await writeFile(join(agent, 'secrets/deploy.key'), 'stolen\n');
    await exec('git', ['add', '--all'], { cwd: agent });
    await exec('git', [...ID, 'commit', '--quiet', '-m', 'merge'], { cwd: agent });
    const head = (await exec('git', ['rev-parse', 'HEAD'], { cwd: agent })).stdout.trim();
    await rm(join(c.out, 'commits.bundle'));
    await bundleAgentCommits(agent, c.out, { start: c.approvedSha, head });
    const rules = {
      phase: 'implementation' as const,
      approvedSha: c.approvedSha,
      head,
      allowWorkflowChanges: false,
      tokenCanPushWorkflows: false,
      scope: { filesIn: ['src/**'], filesForbidden: ['secrets/'] },
    };
    await expect(importAgentCommits(c.write, c.out, rules)).rejects.toThrow(
      `the commits include the merge ${head.slice(0, 7)}: ipo commits in a line, and a merge's own changes are not listed`,
    );
  });

  it('takes changes outside scope.filesIn: verification reports them as unrequested, the person decides', async () => {
    const c = await agentCommitted({ 'src/a.js': '1\n', 'package-lock.json': '{}\n' });
    const scope = { filesIn: ['src/**'], filesForbidden: ['secrets/**'] };
    await importAgentCommits(c.write, c.out, {
      phase: 'implementation',
      ...c,
      allowWorkflowChanges: false,
      tokenCanPushWorkflows: false,
      scope,
    });
    const { stdout } = await exec('git', ['cat-file', '-t', c.head], { cwd: c.write });
    expect(stdout.trim()).toBe('commit');
  });

  it('refuses a bundle whose commit is not the head the ledger records', async () => {
    const c = await agentCommitted({ 'src/a.js': '1\n' });
    await expect(
      importAgentCommits(c.write, c.out, {
        phase: 'implementation',
        approvedSha: c.approvedSha,
        head: 'f'.repeat(40),
        allowWorkflowChanges: false,
        tokenCanPushWorkflows: false,
      }),
    ).rejects.toThrow(/commits\.bundle holds [0-9a-f]{40}, not the head fffffff the ledger records/);
  });

  it('refuses a squashed commit that does not hold the approved tree', async () => {
    const c = await agentCommitted({ 'src/a.js': '1\n' });
    await expect(
      importAgentCommits(c.write, c.out, {
        phase: 'commit',
        ...c,
        squashBase: c.approvedSha,
        allowWorkflowChanges: false,
        tokenCanPushWorkflows: false,
      }),
    ).rejects.toThrow(/does not hold the approved tree/);
  });
});
