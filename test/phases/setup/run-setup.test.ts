import { execFile } from 'node:child_process';
import { mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { buildCommandEnv } from '../../../src/agent/tools/command-env.ts';
import { commitAll, filesChanged } from '../../../src/git/commits.ts';
import type { PhaseContext } from '../../../src/phases/phase-context.ts';
import { runSetup, type SetupContext } from '../../../src/phases/setup/run-setup.ts';
import { runChecks } from '../../../src/phases/verification/run-checks.ts';
import { runVerification } from '../../../src/phases/verification/run-verification.ts';
import { DEFAULT_BWRAP_PATH } from '../../../src/sandbox/probe-bwrap.ts';
import { parseConfig } from '../../../src/settings/parse-config.ts';
import { writeDepsRepo } from '../../support/deps-repo.ts';
import { realSandbox } from '../../support/test-sandbox.ts';

const exec = promisify(execFile);
const IDENTITY = { name: 'Setup Test', email: 'setup-test@example.com' };
/** median, as the session would implement it: with it the fixture's 18 tests pass. */
const MEDIAN = `import { assertNumbers } from './validate.js';
export function median(values) {
  assertNumbers('median', values);
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}
`;

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A committed copy of the fixture repository (package-lock.json, vendor/ tarball, no .gitignore). */
async function depsRepo(): Promise<string> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'ipo-setup-')));
  dirs.push(dir);
  await writeDepsRepo(dir);
  const git = (args: string[]) => exec('git', args, { cwd: dir });
  await git(['init', '--quiet', '--initial-branch=main']);
  await git(['config', 'user.name', IDENTITY.name]);
  await git(['config', 'user.email', IDENTITY.email]);
  await git(['add', '--all']);
  await git(['commit', '--quiet', '-m', 'tally with a dev dependency']);
  return dir;
}

function setupContext(workspace: string, configText = ''): SetupContext {
  // The fixture's own config (.github/ipo.yml): set-up with no network, since the install is from vendor/.
  const base = 'sandbox:\n  network:\n    setup: []\n';
  return {
    workspace,
    config: parseConfig(configText || base),
    sandboxHost: { bwrapPath: DEFAULT_BWRAP_PATH },
    commandEnv: buildCommandEnv(process.env),
    redact: (text) => text,
    sandboxUse: {},
  };
}

async function npmTest(workspace: string, env: Record<string, string>) {
  return runChecks({
    commands: ['npm test'],
    cwd: workspace,
    env,
    sandbox: await realSandbox(workspace),
    timeoutMs: 60_000,
  });
}

describe('set-up on a repository whose tests need an install', () => {
  it('without set-up, `npm test` is an environment failure: the test runner is not installed', async () => {
    const repo = await depsRepo();
    const [check] = await npmTest(repo, buildCommandEnv(process.env));
    expect(check).toMatchObject({ command: 'npm test', kind: 'environment-failure' });
    expect(check?.outputTail).toMatch(/tiny-runner: not found/);
  }, 60_000);

  it('with `auto`, runs `npm ci` from package-lock.json in the sandbox, and then the checks pass', async () => {
    const repo = await depsRepo();
    await writeFile(join(repo, 'src', 'median.js'), MEDIAN);
    const setup = await runSetup(setupContext(repo), 'verification');
    if (!setup.ok) throw new Error(setup.message);
    expect(setup.setup).toMatchObject({
      source: 'auto: package-lock.json',
      commands: [{ command: 'npm ci --no-audit --no-fund', exitCode: 0, kind: 'passed' }],
      network: [],
      untracked: ['node_modules/'],
    });
    const [check] = await npmTest(repo, setup.env);
    expect(check, check?.outputTail).toMatchObject({ kind: 'passed', exitCode: 0 });
    expect(check?.outputTail).toMatch(/# pass 18\n# fail 0/);
  }, 90_000);

  it('keeps what set-up installed out of the commit on a repository without a .gitignore', async () => {
    const repo = await depsRepo();
    const base = (await exec('git', ['rev-parse', 'HEAD'], { cwd: repo })).stdout.trim();
    const setup = await runSetup(setupContext(repo), 'implementation');
    if (!setup.ok) throw new Error(setup.message);
    await writeFile(join(repo, 'src', 'median.js'), MEDIAN);
    const head = await commitAll(repo, 'implement median', IDENTITY, setup.setup.untracked);
    expect(head).not.toBeNull();
    const files = (await filesChanged(repo, base, head ?? '')).map((f) => f.path);
    expect(files).toEqual(['src/median.js']);
    const tree = (await exec('git', ['ls-tree', '-r', '--name-only', 'HEAD'], { cwd: repo })).stdout;
    expect(tree).not.toContain('node_modules');
    // Without the excludes the same commit would have taken node_modules: the test can fail.
    const status = (await exec('git', ['status', '--porcelain'], { cwd: repo })).stdout;
    expect(status).toBe('?? node_modules/\n');
  }, 90_000);

  it('a retry that finds the earlier node_modules/ still keeps it out, and a set-up with nothing to commit commits nothing', async () => {
    const repo = await depsRepo();
    const first = await runSetup(setupContext(repo), 'implementation');
    expect(first.ok).toBe(true);
    const again = await runSetup(setupContext(repo), 'implementation');
    if (!again.ok) throw new Error(again.message);
    expect(again.setup.untracked).toEqual(['node_modules/']);
    expect(await commitAll(repo, 'nothing but set-up', IDENTITY, again.setup.untracked)).toBeNull();
  }, 90_000);

  it('a failing set-up fails verification (not blocked) before any model call, recording the checks as not run', async () => {
    const repo = await depsRepo();
    // A lockfile whose integrity no longer matches the tarball: what `npm ci` refuses.
    const lock = await readFile(join(repo, 'package-lock.json'), 'utf8');
    await writeFile(
      join(repo, 'package-lock.json'),
      lock.replace(/"integrity": "sha512-[^"]+"/, '"integrity": "sha512-AAAA"'),
    );
    await exec('git', ['commit', '--quiet', '-am', 'break the lockfile'], { cwd: repo });
    const head = (await exec('git', ['rev-parse', 'HEAD'], { cwd: repo })).stdout.trim();
    const ctx = {
      ...setupContext(repo),
      inputs: { alignment: {}, implementation: { headSha: head } },
    } as unknown as PhaseContext;
    const output = await runVerification(ctx);
    expect(output.outcome).toBe('failed');
    expect(output.transcript).toEqual([]);
    expect(output.message).toMatch(
      /^verification: set-up `npm ci --no-audit --no-fund` failed \(exit 1\), so no check ran: .+\. Fix the command or the lockfile on the session branch, or change `verification\.setup` in \.github\/ipo\.yml on the default branch \(now auto: package-lock\.json; a list of commands, or \[\] for none\); if it needs a registry, list its host in `sandbox\.network\.setup` \(it had no network\)\.$/,
    );
    expect(output.body?.setup?.commands).toEqual([
      expect.objectContaining({
        command: 'npm ci --no-audit --no-fund',
        exitCode: 1,
        kind: 'environment-failure',
      }),
    ]);
    expect(output.body?.checks).toEqual([
      {
        command: 'npm test',
        exitCode: null,
        durationMs: 0,
        outputTail: '[ipo: not run: set-up `npm ci --no-audit --no-fund` failed (exit 1)]',
        kind: 'environment-failure',
      },
    ]);
    expect(output.body?.verdict).toBe('fail');
  }, 90_000);

  it('stops at the first failing set-up command and names it', async () => {
    const repo = await depsRepo();
    const ctx = setupContext(repo, "verification:\n  setup: ['exit 3', 'touch never']\n");
    const setup = await runSetup(ctx, 'implementation');
    expect(setup.ok).toBe(false);
    expect(setup.setup.commands.map((c) => [c.command, c.exitCode, c.kind])).toEqual([
      ['exit 3', 3, 'environment-failure'],
    ]);
    expect(setup.setup.commands[0]?.outputTail).toContain('[ipo: set-up command failed (exit 3)]');
    if (!setup.ok)
      expect(setup.message).toMatch(
        /^implementation: set-up `exit 3` failed \(exit 3\), so the agent did not start\./,
      );
  }, 60_000);

  it('a `.venv` set-up left is active for later commands (VIRTUAL_ENV and PATH)', async () => {
    const repo = await depsRepo();
    const ctx = setupContext(
      repo,
      'verification:\n  setup: [\'mkdir -p .venv/bin && printf "#!/bin/sh\\necho from-venv\\n" > .venv/bin/pytest && chmod +x .venv/bin/pytest\']\n',
    );
    const setup = await runSetup(ctx, 'verification');
    if (!setup.ok) throw new Error(setup.message);
    expect(setup.env.VIRTUAL_ENV).toBe(join(repo, '.venv'));
    expect(setup.setup.untracked).toEqual(['.venv/']);
    const [check] = await runChecks({
      commands: ['pytest && echo "$VIRTUAL_ENV"'],
      cwd: repo,
      env: setup.env,
      sandbox: await realSandbox(repo),
      timeoutMs: 10_000,
    });
    expect(check?.outputTail).toBe(`from-venv\n${join(repo, '.venv')}\n`);
  }, 60_000);

  it('reaches only its registry hosts, through the proxy: a refused host is named in its output', async () => {
    const repo = await depsRepo();
    const config =
      'verification:\n  setup:\n    - npm ci --no-audit --no-fund\n' +
      '    - curl -sS --max-time 5 https://exfil.example/ || echo curl-refused\n' +
      'sandbox:\n  network:\n    setup: [registry.npmjs.org]\n';
    const setup = await runSetup(setupContext(repo, config), 'verification');
    expect(setup.ok).toBe(true);
    expect(setup.setup.network).toEqual(['registry.npmjs.org']);
    const curl = setup.setup.commands[1];
    expect(curl?.outputTail).toContain('curl-refused');
    expect(curl?.outputTail).toContain('[ipo sandbox: refused a connection to exfil.example:443: not in');
  });
});
