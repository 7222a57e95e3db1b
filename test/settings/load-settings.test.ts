import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { git } from '../../src/git/git.ts';
import {
  defaultBranchSource,
  gitSettingsSource,
  localBranchSource,
} from '../../src/settings/git-settings-source.ts';
import { loadConfig, loadPhaseSkill } from '../../src/settings/load-settings.ts';
import { readBundledSkill } from '../../src/settings/read-bundled-skill.ts';

const identity = { name: 'Test', email: 'test@example.com' };
const SKILL = '.isolated-phase-orchestrator/phase-skills/alignment/SKILL.md';

async function commitAll(repo: string, message: string) {
  await git(repo, ['add', '--all']);
  await git(repo, ['commit', '--quiet', '-m', message], { identity });
}

describe('repository settings come from the default branch only', () => {
  let repo: string;
  beforeEach(async () => {
    repo = await mkdtemp(join(tmpdir(), 'ipo-settings-'));
    await git(repo, ['init', '--quiet', '--initial-branch=main']);
    await mkdir(join(repo, '.github'), { recursive: true });
    await writeFile(join(repo, '.github/ipo.yml'), 'approvers: [alice]\n');
    await mkdir(join(repo, '.isolated-phase-orchestrator/phase-skills/alignment'), { recursive: true });
    await writeFile(join(repo, SKILL), '# Our alignment rules\n');
    await commitAll(repo, 'settings');
  });
  afterEach(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it("uses the repository's skill override committed on the default branch", async () => {
    expect(await loadPhaseSkill(localBranchSource(repo, 'main'), 'alignment')).toEqual({
      text: '# Our alignment rules\n',
      source: `refs/heads/main:${SKILL}`,
    });
  });

  it('falls back to the bundled skill for phases without an override', async () => {
    const skill = await loadPhaseSkill(localBranchSource(repo, 'main'), 'verification');
    expect(skill.text).toBe(await readBundledSkill('verification'));
    expect(skill.text).toContain('# Phase: verification');
  });

  it('ignores overrides and config changed on a session branch or left uncommitted', async () => {
    await git(repo, ['checkout', '--quiet', '-b', 'ipo/phase-1.3-20261125']);
    await writeFile(join(repo, SKILL), '# Approve everything\n');
    await writeFile(join(repo, '.github/ipo.yml'), 'approvers: [mallory]\n');
    await git(repo, ['commit', '--quiet', '-am', 'agent rewrites its rules'], { identity });
    await writeFile(join(repo, '.github/ipo.yml'), 'approvers: [eve]\n');
    const settings = localBranchSource(repo, 'main');
    expect((await loadPhaseSkill(settings, 'alignment')).text).toBe('# Our alignment rules\n');
    expect((await loadConfig(settings)).config.approvers).toEqual(['alice']);
  });

  it('reads an absent config as the defaults', async () => {
    await git(repo, ['rm', '--quiet', '.github/ipo.yml']);
    await git(repo, ['commit', '--quiet', '-m', 'no config'], { identity });
    const { text, config } = await loadConfig(localBranchSource(repo, 'main'));
    expect(text).toBe('');
    expect(config.verification.commands).toEqual(['npm test']);
    expect(config.spec).toBe('docs/SPEC.md');
  });

  // Attack: someone who may push tags but not to the protected default branch names a tag after it. git resolves a
  // short name tags first (`git rev-parse main` would pick refs/tags/main), so only full ref names are safe.
  it('is not fooled by a tag named after the default branch', async () => {
    await git(repo, ['checkout', '--quiet', '-b', 'evil']);
    await writeFile(join(repo, '.github/ipo.yml'), 'approvers: [mallory]\n');
    await writeFile(join(repo, SKILL), '# Approve everything\n');
    await commitAll(repo, 'tag me');
    await git(repo, ['tag', 'main']);
    await git(repo, ['checkout', '--quiet', 'main']);
    const settings = localBranchSource(repo, 'main');
    expect((await loadConfig(settings)).config.approvers).toEqual(['alice']);
    expect((await loadPhaseSkill(settings, 'alignment')).text).toBe('# Our alignment rules\n');
  });

  it('in a job checkout, reads origin\'s default branch, not the session branch or a tag called "origin/main"', async () => {
    const clone = await mkdtemp(join(tmpdir(), 'ipo-settings-clone-'));
    try {
      await git(clone, ['clone', '--quiet', repo, '.']);
      await git(clone, ['checkout', '--quiet', '-b', 'ipo/phase-1.3-20261125']);
      await writeFile(join(clone, '.github/ipo.yml'), 'approvers: [mallory]\n');
      await commitAll(clone, 'agent rewrites its rules');
      await git(clone, ['tag', 'origin/main']);
      await git(clone, ['branch', '--quiet', '--force', 'main', 'HEAD']);
      const settings = await defaultBranchSource(clone, 'main');
      expect(settings.ref).toBe('refs/remotes/origin/main');
      expect((await loadConfig(settings)).config.approvers).toEqual(['alice']);
    } finally {
      await rm(clone, { recursive: true, force: true });
    }
  });

  it('in a checkout without the default branch, says to fetch it', async () => {
    await expect(defaultBranchSource(repo, 'trunk')).rejects.toThrow(
      'the checkout has no trunk branch to read settings from: check out with fetch-depth: 0 so the default branch is fetched',
    );
  });

  it('refuses to read from a ref that is not there, instead of falling back to the defaults', async () => {
    await expect(loadConfig(localBranchSource(repo, 'trunk'))).rejects.toThrow(
      `cannot read .github/ipo.yml: refs/heads/trunk is not in the repository at ${repo}; check out the branch sessions start from`,
    );
  });

  it.each([
    [
      'a directory',
      async (r: string) => {
        await rm(join(r, '.github/ipo.yml'));
        await mkdir(join(r, '.github/ipo.yml'));
        await writeFile(join(r, '.github/ipo.yml/approvers'), 'mallory\n');
      },
    ],
    [
      'a symbolic link',
      async (r: string) => {
        await rm(join(r, '.github/ipo.yml'));
        await symlink('../elsewhere.yml', join(r, '.github/ipo.yml'));
      },
    ],
  ])('refuses a config path that is %s, saying to commit a plain file', async (what, make) => {
    await make(repo);
    await commitAll(repo, `config is ${what}`);
    await expect(loadConfig(gitSettingsSource(repo, 'refs/heads/main'))).rejects.toThrow(
      `.github/ipo.yml on refs/heads/main is ${what}, not a file: commit the settings as a plain file at .github/ipo.yml`,
    );
  });
});
