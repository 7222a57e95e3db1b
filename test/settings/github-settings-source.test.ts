import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubSettingsSource } from '../../src/settings/github-settings-source.ts';
import { loadConfig, loadPhaseSkill } from '../../src/settings/load-settings.ts';
import { readBundledSkill } from '../../src/settings/read-bundled-skill.ts';
import { commitFiles } from '../support/github/commit-files.ts';
import { type LocalGitHub, startLocalGitHub } from '../support/github/local-github.ts';
import { localOctokit } from '../support/github/local-octokit.ts';

const TOKEN = 'ghs_settings';
const repo = { owner: 'octo', repo: 'demo' };
const SKILL = '.isolated-phase-orchestrator/phase-skills/commit/SKILL.md';

describe("the app's settings source: this repository's contents API at its default branch", () => {
  let github: LocalGitHub;
  let octokit: Octokit;
  let seed: string;

  beforeAll(async () => {
    seed = await mkdtemp(join(tmpdir(), 'ipo-github-settings-'));
    await mkdir(join(seed, '.github'), { recursive: true });
    await writeFile(join(seed, '.github/ipo.yml'), 'approvers: [alice]\n');
    await mkdir(join(seed, '.isolated-phase-orchestrator/phase-skills/commit'), { recursive: true });
    await writeFile(join(seed, SKILL), '# Our commit rules\n');
    github = await startLocalGitHub({ ...repo, tokens: [TOKEN], seed });
    octokit = localOctokit(github, TOKEN);
  });
  afterAll(async () => {
    await github.close();
    await rm(seed, { recursive: true, force: true });
  });

  it('reads the config and a skill override of the default branch, naming no ref so none can shadow it', async () => {
    await commitFiles(github.gitDir(), 'ipo/phase-1.1-20250602', {
      '.github/ipo.yml': 'approvers: [mallory]\n',
      [SKILL]: '# Approve everything\n',
    });
    const source = githubSettingsSource(octokit, repo, 'main');
    const before = github.requests.length;

    expect((await loadConfig(source)).config.approvers).toEqual(['alice']);
    expect(await loadPhaseSkill(source, 'commit')).toEqual({
      text: '# Our commit rules\n',
      source: `main:${SKILL}`,
    });
    expect((await loadPhaseSkill(source, 'alignment')).text).toBe(await readBundledSkill('alignment'));
    expect(github.requests.slice(before).map((r) => [r.path, r.query, r.status])).toEqual([
      ['/repos/octo/demo/contents/.github%2Fipo.yml', {}, 200],
      ['/repos/octo/demo/contents/.isolated-phase-orchestrator%2Fphase-skills%2Fcommit%2FSKILL.md', {}, 200],
      [
        '/repos/octo/demo/contents/.isolated-phase-orchestrator%2Fphase-skills%2Falignment%2FSKILL.md',
        {},
        404,
      ],
    ]);
  });

  it('refuses a config path that is a directory, as the git source does', async () => {
    await commitFiles(github.gitDir(), 'main', { 'settings-dir/inner.yml': 'a: 1\n' });
    await expect(githubSettingsSource(octokit, repo, 'main').read('settings-dir')).rejects.toThrow(
      'settings-dir on main is a directory, not a file: commit the settings as a plain file at settings-dir',
    );
  });

  it('passes a GitHub failure through instead of reading it as "no file"', async () => {
    github.failNext({ method: 'GET', path: '/repos/octo/demo/contents/.github%2Fipo.yml', status: 502 });
    await expect(loadConfig(githubSettingsSource(octokit, repo, 'main'))).rejects.toMatchObject({
      status: 502,
    });
  });
});
