import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedactor } from '../../../src/agent/redact.ts';
import { buildCommandEnv } from '../../../src/agent/tools/command-env.ts';
import {
  type CheckOutcome,
  classifyCheck,
  MAX_OUTPUT_TAIL_CHARS,
  type RunChecksOptions,
  runChecks,
} from '../../../src/phases/verification/run-checks.ts';
import { checkSchema } from '../../../src/state/artifacts/verification.ts';
import { realSandbox } from '../../support/test-sandbox.ts';

const PARENT_SECRET = 'sk-parent-secret-value-123';

let dir: string;
beforeEach(async () => {
  dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'ipo-checks-')));
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

/** Runs checks the way the phase will: env filtered by buildCommandEnv from a parent holding secrets. */
async function run(commands: string[], options: Partial<RunChecksOptions> = {}) {
  const parent = { ...process.env, ANTHROPIC_API_KEY: PARENT_SECRET, MY_DEPLOY_TOKEN: PARENT_SECRET };
  const checks = await runChecks({
    commands,
    cwd: dir,
    env: buildCommandEnv(parent),
    timeoutMs: 20_000,
    sandbox: await realSandbox(dir),
    ...options,
  });
  for (const check of checks) checkSchema.parse(check);
  return checks;
}

describe('runChecks', () => {
  it('records a passing command with its output', async () => {
    const [check] = await run(['echo ok; echo warn >&2']);
    expect(check).toMatchObject({ command: 'echo ok; echo warn >&2', exitCode: 0, kind: 'passed' });
    expect(check?.outputTail).toBe('ok\nwarn\n');
  });

  it('runs the command in cwd through /bin/sh', async () => {
    const [check] = await run(['pwd -P; echo "$0"']);
    expect(check?.outputTail).toBe(`${dir}\n/bin/sh\n`);
  });

  it('calls a non-zero exit a test failure and keeps the output without a reason line', async () => {
    const [check] = await run(['echo "1 failed"; exit 1']);
    expect(check).toMatchObject({ exitCode: 1, kind: 'test-failure', outputTail: '1 failed\n' });
  });

  it('calls a missing command an environment failure and says why at the top of the tail', async () => {
    const [check] = await run(['no-such-tool-ipo --run']);
    expect(check).toMatchObject({ exitCode: 127, kind: 'environment-failure' });
    expect(check?.outputTail).toMatch(
      /^\[ipo: command not found \(exit 127\)\]\n.*no-such-tool-ipo.*not found/,
    );
  });

  it('calls a missing npm script an environment failure', async () => {
    await fs.writeFile(path.join(dir, 'package.json'), '{"name":"demo","version":"1.0.0"}');
    const [check] = await run(['npm run no-such-script']);
    expect(check?.kind).toBe('environment-failure');
    expect(check?.outputTail).toMatch(/^\[ipo: npm script missing \(exit \d+\)\]\n/);
  });

  it('calls a missing cwd an environment failure naming the directory', async () => {
    const missing = path.join(dir, 'gone');
    const [check] = await run(['true'], { cwd: missing });
    expect(check).toMatchObject({ exitCode: null, kind: 'environment-failure' });
    expect(check?.outputTail).toMatch(
      new RegExp(`^\\[ipo: could not start /bin/sh in ${missing} \\(in the sandbox\\): .*ENOENT`),
    );
  });

  it('kills a command past its time limit and still runs the next one', async () => {
    const started = Date.now();
    const [slow, next] = await run(['echo started; sleep 30', 'echo next'], { timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(slow).toMatchObject({ exitCode: null, kind: 'environment-failure' });
    expect(slow?.outputTail).toBe(
      '[ipo: timed out after 0.3s; the command and its child processes were killed]\nstarted\n',
    );
    expect(next).toMatchObject({ exitCode: 0, kind: 'passed', outputTail: 'next\n' });
  });

  it('runs every command after a failure, in order', async () => {
    const checks = await run(['exit 2', 'no-such-tool-ipo', 'echo last']);
    expect(checks.map((check) => [check.exitCode, check.kind])).toEqual([
      [2, 'test-failure'],
      [127, 'environment-failure'],
      [0, 'passed'],
    ]);
  });

  it('keeps only the tail of a huge output, within the limit and the schema', async () => {
    const [check] = await run(['seq 1 300000; echo END'], { outputTailChars: 500 });
    const tail = check?.outputTail ?? '';
    expect(tail.length).toBeLessThanOrEqual(500);
    expect(tail).toMatch(/^\[… earlier output omitted …\]\n/);
    expect(tail).toMatch(/\n299999\n300000\nEND\n$/);
  });

  it('never exceeds the schema limit whatever is asked for, and keeps the reason line', async () => {
    const [check] = await run(['seq 1 300000; exit 127'], { outputTailChars: 1_000_000 });
    const tail = check?.outputTail ?? '';
    expect(tail.length).toBeLessThanOrEqual(MAX_OUTPUT_TAIL_CHARS);
    expect(tail).toMatch(/^\[ipo: command not found \(exit 127\)\]\n\[… earlier output omitted …\]\n/);
    expect(tail).toMatch(/\n300000\n$/);
  });

  it('records each duration with the given clock', async () => {
    let clock = 1_000;
    const now = () => {
      clock += 250;
      return clock;
    };
    const checks = await run(['true', 'false'], { now });
    expect(checks.map((check) => check.durationMs)).toEqual([250, 250]);
  });

  it('records real wall time by default', async () => {
    const [check] = await run(['sleep 0.3']);
    expect(check?.durationMs).toBeGreaterThanOrEqual(250);
    expect(check?.durationMs).toBeLessThan(10_000);
  });

  it('passes no parent secret to the check, and redacts what the output leaks', async () => {
    const [env] = await run(['env']);
    expect(env?.outputTail).toContain('PATH=');
    expect(env?.outputTail).not.toContain(PARENT_SECRET);
    expect(env?.outputTail).not.toMatch(/ANTHROPIC_API_KEY|MY_DEPLOY_TOKEN/);
    const [leak] = await run([`echo "key ${PARENT_SECRET}"`], { redact: createRedactor([PARENT_SECRET]) });
    expect(leak?.outputTail).toBe('key [REDACTED]\n');
  });

  it('refuses an empty command before running anything', async () => {
    await expect(run(['touch ran', '  '])).rejects.toThrow(/commands\[1\] is empty/);
    await expect(fs.access(path.join(dir, 'ran'))).rejects.toThrow();
  });

  it('runs a real node --test project and reports its failing test as a test failure', async () => {
    await fs.writeFile(
      path.join(dir, 'math.test.mjs'),
      [
        "import test from 'node:test';",
        "import assert from 'node:assert/strict';",
        "test('adds', () => assert.equal(1 + 1, 2));",
        "test('multiplies', () => assert.equal(2 * 2, 5));",
        '',
      ].join('\n'),
    );
    const [check] = await run(['node --test']);
    expect(check).toMatchObject({ command: 'node --test', exitCode: 1, kind: 'test-failure' });
    expect(check?.outputTail).toMatch(/# pass 1\n# fail 1\n/);
    expect(check?.outputTail).toContain('multiplies');
  });

  it('calls node failing to load its entry module an environment failure', async () => {
    const [check] = await run(['node dist/missing.js']);
    expect(check?.kind).toBe('environment-failure');
    expect(check?.outputTail).toMatch(/^\[ipo: Node could not find a module at startup \(exit 1\)\]\n/);
  });
});

const outcome = (partial: Partial<CheckOutcome>): CheckOutcome => ({
  exitCode: 1,
  signal: null,
  timedOut: false,
  output: '',
  ...partial,
});

describe('classifyCheck', () => {
  const timedOut = 'timed out after 1.5s; the command and its child processes were killed';
  it.each<[string, CheckOutcome, string, string | undefined]>([
    ['exit 0', outcome({ exitCode: 0 }), 'passed', undefined],
    ['exit 1', outcome({ output: 'FAIL test/a.test.ts\n1 failed' }), 'test-failure', undefined],
    ['exit 127', outcome({ exitCode: 127 }), 'environment-failure', 'command not found (exit 127)'],
    ['exit 126', outcome({ exitCode: 126 }), 'environment-failure', 'command not executable (exit 126)'],
    [
      'a timeout',
      outcome({ exitCode: null, signal: 'SIGTERM', timedOut: true }),
      'environment-failure',
      timedOut,
    ],
    [
      'a timeout whose shell exited 143',
      outcome({ exitCode: 143, timedOut: true }),
      'environment-failure',
      timedOut,
    ],
    [
      'a crash',
      outcome({ exitCode: null, signal: 'SIGSEGV' }),
      'environment-failure',
      'killed by signal SIGSEGV',
    ],
    [
      "dash's not found",
      outcome({ exitCode: 2, output: 'make: run\nsh: 1: vitest: not found\n' }),
      'environment-failure',
      'command not found (exit 2)',
    ],
    [
      "bash's command not found",
      outcome({ output: 'bash: line 1: jest: command not found\n' }),
      'environment-failure',
      'command not found (exit 1)',
    ],
    [
      "zsh's command not found",
      outcome({ output: 'zsh: command not found: jest\n' }),
      'environment-failure',
      'command not found (exit 1)',
    ],
    [
      "npm 10's missing script",
      outcome({ output: 'npm error Missing script: "test"\n' }),
      'environment-failure',
      'npm script missing (exit 1)',
    ],
    [
      "npm 8's missing script",
      outcome({ output: 'npm ERR! missing script: test\n' }),
      'environment-failure',
      'npm script missing (exit 1)',
    ],
    [
      'node failing to load its entry module',
      outcome({
        output: "Error: Cannot find module '/x/run.js'\n    at Module._resolveFilename\n\nNode.js v20.20.2\n",
      }),
      'environment-failure',
      'Node could not find a module at startup (exit 1)',
    ],
    [
      'a test file importing a missing package under node --test',
      outcome({
        output: "# Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'x'\n# Node.js v20.20.2\nnot ok 1\n",
      }),
      'test-failure',
      undefined,
    ],
    [
      'a failing assertion on "not found" text',
      outcome({ output: "AssertionError: expected 'user not found' to equal 'ok'\n" }),
      'test-failure',
      undefined,
    ],
  ])('classifies %s', (_name, given, kind, reason) => {
    expect(classifyCheck(given, 1500)).toEqual(reason === undefined ? { kind } : { kind, reason });
  });
});
