import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCommandEnv } from '../../src/agent/tools/command-env.ts';
import { createRunCommandTool } from '../../src/agent/tools/run-command.ts';
import { createWorkspace, type Workspace } from '../../src/agent/tools/workspace.ts';
import { runChecks } from '../../src/phases/verification/run-checks.ts';
import type { Sandbox } from '../../src/sandbox/sandbox.ts';
import { outcomeText, runTool } from '../agent/tools/workspace-fixture.ts';
import { realSandbox } from '../support/test-sandbox.ts';

/**
 * The attacks of issue 17 against the real bubblewrap sandbox, the way a phase lays out a run: a workspace (a git
 * repository), and beside it the phase's state and output directories, which commands must not see.
 */
const SECRET = `sk-ant-api03-${randomBytes(12).toString('hex')}`;
let base: string;
let root: string;
let stateDir: string;
let outDir: string;
let sandbox: Sandbox;
let ws: Workspace;
/** A private key planted in the real home (uniquely named, removed afterwards), as a runner's deploy key would be. */
let plantedKey: string;

beforeAll(async () => {
  base = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'ipo-sandbox-')));
  root = path.join(base, 'workspace');
  stateDir = path.join(base, 'state');
  outDir = path.join(base, 'out');
  await Promise.all([fs.mkdir(root), fs.mkdir(stateDir), fs.mkdir(outDir)]);
  execFileSync('git', ['init', '-q', root]);
  await fs.writeFile(path.join(stateDir, 'session.json'), `{"stateKey":"${SECRET}"}\n`);
  await fs.writeFile(path.join(outDir, 'verdict.json'), '{"verdict":"fail"}\n');
  await fs.writeFile(path.join(root, 'file.txt'), 'original\n');
  await fs.mkdir(path.join(os.homedir(), '.ssh'), { recursive: true });
  plantedKey = path.join(os.homedir(), '.ssh', `ipo-test-id_rsa-${process.pid}`);
  await fs.writeFile(plantedKey, `-----BEGIN OPENSSH PRIVATE KEY-----\n${SECRET}\n`, { mode: 0o600 });
  // The ipo process holds the secret in its environment, as the Action holds the model key and the token.
  process.env.IPO_TEST_MODEL_KEY = SECRET;
  sandbox = await realSandbox(root);
  ws = await createWorkspace(root, {
    commandEnv: buildCommandEnv(process.env),
    sandbox,
    commandTimeoutMs: 20_000,
  });
});
afterAll(async () => {
  delete process.env.IPO_TEST_MODEL_KEY;
  await fs.rm(plantedKey, { force: true });
  await fs.rm(base, { recursive: true, force: true });
});

const run = async (command: string, timeoutSeconds?: number) => {
  const outcome = await runTool(createRunCommandTool(ws), {
    command,
    ...(timeoutSeconds ? { timeoutSeconds } : {}),
  });
  return { isError: outcome.isError, text: outcomeText(outcome) };
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the sandbox around run_command', () => {
  it('shows a command nothing of ipo in /proc: $PPID is the sandbox’s own init, with an empty environment', async () => {
    const { text } = await run(
      `cat /proc/$PPID/environ; echo "ppid=$PPID"; cat /proc/${process.pid}/environ; ls /proc | grep -c '^[0-9]'`,
    );
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('IPO_TEST_MODEL_KEY');
    expect(text).toContain('ppid=1');
    // Only the shell, its `ls`/`grep` and bwrap's init are processes here.
    expect(Number(/\n(\d+)\n/.exec(text)?.[1])).toBeLessThan(6);
  });

  it.each([
    ['the planted key in ~/.ssh', () => `cat ~/.ssh/${path.basename(plantedKey)}`],
    ['the real home’s key by its absolute path', () => `cat ${plantedKey}`],
    ['the phase’s state directory', () => `cat ${stateDir}/session.json; ls ${stateDir}`],
    ['the phase’s output directory', () => `ls ${outDir}`],
    [
      '~/.npmrc, ~/.config/gh and cloud credentials',
      () => 'cat ~/.npmrc ~/.config/gh/hosts.yml ~/.aws/credentials',
    ],
  ])('cannot read %s: it is not there', async (_what, command) => {
    const { text } = await run(command());
    expect(text).toMatch(/No such file or directory/);
    expect(text).not.toContain(SECRET);
  });

  it('refuses a connection outside the sandbox (curl and node fetch) and says so in the result', async () => {
    const { text } = await run(
      'curl -sS --max-time 5 https://example.com; node -e "fetch(\'https://registry.npmjs.org/\').catch((e) => { console.log(String(e.cause?.code ?? e)); process.exit(1); })"',
    );
    expect(text).toMatch(/Could not resolve host/);
    expect(text).toMatch(/EAI_AGAIN|ENOTFOUND|ENETUNREACH/);
    expect(text).toContain('[ipo sandbox: blocked a network connection');
  });

  it('kills a setsid sleeper when the command ends: it never rewrites the output directory or the workspace', async () => {
    const { text } = await run(
      `setsid sh -c 'sleep 2; echo "{\\"verdict\\":\\"pass\\"}" > ${outDir}/verdict.json; echo hacked > file.txt' & echo forked`,
    );
    expect(text).toContain('forked');
    await sleep(3000);
    expect(await fs.readFile(path.join(outDir, 'verdict.json'), 'utf8')).toBe('{"verdict":"fail"}\n');
    expect(await fs.readFile(path.join(root, 'file.txt'), 'utf8')).toBe('original\n');
  });

  it('kills the whole tree on a timeout, a setsid sleeper included', async () => {
    const started = Date.now();
    const { isError, text } = await run("setsid sh -c 'sleep 1.5; touch late.txt' & sleep 30", 0.5);
    expect(isError).toBe(true);
    expect(text).toMatch(/timed out after 0\.5s/);
    expect(Date.now() - started).toBeLessThan(5000);
    await sleep(2000);
    expect(existsSync(path.join(root, 'late.txt'))).toBe(false);
  });

  it('lets a command write inside the workspace, and in its private /tmp and HOME', async () => {
    const { text } = await run('echo made > made.txt && echo t > /tmp/t && echo h > ~/h && cat /tmp/t ~/h');
    expect(text).toMatch(/^exit code 0 .*\nt\nh\n$/);
    expect(await fs.readFile(path.join(root, 'made.txt'), 'utf8')).toBe('made\n');
    expect(existsSync(path.join(os.tmpdir(), 't'))).toBe(false);
  });

  it('cannot install a git hook or edit .git/config: the repository metadata is read-only', async () => {
    const { text } = await run(
      'echo "exit 0" > .git/hooks/pre-push; git config core.hooksPath /tmp/hooks; echo "status: $(git status --short | wc -l)"',
    );
    expect(text).toMatch(/Read-only file system/);
    expect(existsSync(path.join(root, '.git', 'hooks', 'pre-push'))).toBe(false);
    expect(await fs.readFile(path.join(root, '.git', 'config'), 'utf8')).not.toContain('hooksPath');
    // Reading the repository still works.
    expect(text).toMatch(/status: \d+/);
  });

  it("cannot repoint a linked worktree's .git file at a repository of its own making", async () => {
    // A phase's workspace is a linked worktree: its `.git` is a file naming the gitdir ipo's own git will use.
    execFileSync('git', [
      '-C',
      root,
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@example.com',
      'commit',
      '-q',
      '--allow-empty',
      '-m',
      'base',
    ]);
    const linked = path.join(base, 'linked');
    execFileSync('git', ['-C', root, 'worktree', 'add', '-q', '--detach', linked]);
    const before = await fs.readFile(path.join(linked, '.git'), 'utf8');
    const linkedSandbox = await realSandbox(linked);
    const linkedWs = await createWorkspace(linked, {
      commandEnv: buildCommandEnv(process.env),
      sandbox: linkedSandbox,
      commandTimeoutMs: 20_000,
    });
    const outcome = await runTool(createRunCommandTool(linkedWs), {
      command: 'git init -q evil; echo "gitdir: evil/.git" > .git; rm -f .git; echo "git file: $(cat .git)"',
    });
    const text = outcomeText(outcome);
    expect(text).toMatch(/Read-only file system|Device or resource busy|Operation not permitted/);
    expect(await fs.readFile(path.join(linked, '.git'), 'utf8')).toBe(before);
    expect(text).toContain(`git file: ${before.trim()}`);
  });
});

describe('the sandbox around verification checks', () => {
  it('runs the repository’s checks inside it: a test script sees no secret and its sleeper dies with it', async () => {
    const [check] = await runChecks({
      commands: [
        `cat /proc/$PPID/environ ${stateDir}/session.json; setsid sh -c 'sleep 2; echo pwned > file.txt' & echo done`,
      ],
      cwd: root,
      env: buildCommandEnv(process.env),
      sandbox,
      timeoutMs: 20_000,
    });
    expect(check?.outputTail).toContain('No such file or directory');
    expect(check?.outputTail).not.toContain(SECRET);
    await sleep(3000);
    expect(await fs.readFile(path.join(root, 'file.txt'), 'utf8')).toBe('original\n');
  });
});
