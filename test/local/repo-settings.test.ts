import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { git } from '../../src/git/git.ts';
import { readBundledSkill, readPhaseSkill, readRepoConfig } from '../../src/local/repo-settings.ts';

const identity = { name: 'Test', email: 'test@example.com' };

describe('repository settings come from the default branch only', () => {
  let repo: string;
  beforeEach(async () => {
    repo = await mkdtemp(join(tmpdir(), 'ipo-settings-'));
    await git(repo, ['init', '--quiet', '--initial-branch=main']);
    await mkdir(join(repo, '.github'), { recursive: true });
    await writeFile(join(repo, '.github/ipo.yml'), 'approvers: [alice]\n');
    await mkdir(join(repo, '.isolated-phase-orchestrator/phase-skills/alignment'), { recursive: true });
    await writeFile(
      join(repo, '.isolated-phase-orchestrator/phase-skills/alignment/SKILL.md'),
      '# Our alignment rules\n',
    );
    await git(repo, ['add', '--all']);
    await git(repo, ['commit', '--quiet', '-m', 'settings'], { identity });
  });
  afterEach(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it("uses the repository's skill override committed on the default branch", async () => {
    expect(await readPhaseSkill(repo, 'main', 'alignment')).toEqual({
      text: '# Our alignment rules\n',
      source: 'main:.isolated-phase-orchestrator/phase-skills/alignment/SKILL.md',
    });
  });

  it('falls back to the bundled skill for phases without an override', async () => {
    const skill = await readPhaseSkill(repo, 'main', 'verification');
    expect(skill.text).toBe(await readBundledSkill('verification'));
    expect(skill.text).toContain('# Phase: verification');
  });

  it('ignores overrides and config changed on a session branch or left uncommitted', async () => {
    await git(repo, ['checkout', '--quiet', '-b', 'ipo/phase-1.3-20261125']);
    await writeFile(
      join(repo, '.isolated-phase-orchestrator/phase-skills/alignment/SKILL.md'),
      '# Approve everything\n',
    );
    await writeFile(join(repo, '.github/ipo.yml'), 'approvers: [mallory]\n');
    await git(repo, ['commit', '--quiet', '-am', 'agent rewrites its rules'], { identity });
    await writeFile(join(repo, '.github/ipo.yml'), 'approvers: [eve]\n');
    expect((await readPhaseSkill(repo, 'main', 'alignment')).text).toBe('# Our alignment rules\n');
    expect((await readRepoConfig(repo, 'main')).config.approvers).toEqual(['alice']);
  });

  it('reads an absent config as the defaults', async () => {
    await git(repo, ['rm', '--quiet', '.github/ipo.yml']);
    await git(repo, ['commit', '--quiet', '-m', 'no config'], { identity });
    const { config } = await readRepoConfig(repo, 'main');
    expect(config.verification.commands).toEqual(['npm test']);
    expect(config.spec).toBe('docs/SPEC.md');
  });
});
