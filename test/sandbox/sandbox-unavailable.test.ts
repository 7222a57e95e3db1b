import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCommandEnv } from '../../src/agent/tools/command-env.ts';
import { createRunCommandTool } from '../../src/agent/tools/run-command.ts';
import { createWorkspace } from '../../src/agent/tools/workspace.ts';
import { openPhaseSandbox } from '../../src/phases/open-phase-sandbox.ts';
import type { PhaseContext } from '../../src/phases/phase-context.ts';
import { runChecks } from '../../src/phases/verification/run-checks.ts';
import { openSandbox, sandboxHostFrom } from '../../src/sandbox/open-sandbox.ts';
import { probeBwrap } from '../../src/sandbox/probe-bwrap.ts';
import { SandboxRefusedError } from '../../src/sandbox/sandbox.ts';
import { parseConfig } from '../../src/settings/parse-config.ts';
import { ConfigError } from '../../src/state/state-error.ts';
import { outcomeText, runTool } from '../agent/tools/workspace-fixture.ts';

/** Where no sandbox can run, simulated the way an operator would see it: IPO_BWRAP_PATH names a missing file. */
const host = sandboxHostFrom({ IPO_BWRAP_PATH: '/nonexistent/ipo-test/bwrap' });
let root: string;

beforeAll(async () => {
  root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'ipo-nosandbox-')));
});
afterAll(() => fs.rm(root, { recursive: true, force: true }));

/** Just what opening a phase's sandbox reads and writes of its context. */
const phaseContext = (configText: string) =>
  ({ config: parseConfig(configText), workspace: root, sandboxHost: host, sandboxUse: {} }) as PhaseContext;

describe('where bubblewrap cannot run', () => {
  it('the probe says what is missing and how to install it', async () => {
    const probe = await probeBwrap(host.bwrapPath);
    expect(probe).toEqual({ ok: false, reason: expect.stringContaining('apt-get install bubblewrap') });
    expect(probe.ok ? '' : probe.reason).toContain(
      'bubblewrap is not installed at /nonexistent/ipo-test/bwrap',
    );
  });

  it('the phase refuses to run untrusted commands, naming the fix and the config key', async () => {
    const opened = await openPhaseSandbox(phaseContext(''), 'verification');
    expect(opened.ok).toBe(false);
    const message = opened.ok ? '' : opened.message;
    expect(message).toMatch(/^verification refused to run: untrusted commands run only inside a sandbox/);
    expect(message).toContain('apt-get install bubblewrap');
    expect(message).toContain('`sandbox: { required: false }` in .github/ipo.yml');
  });

  it('with `sandbox.required: false`, commands run unsandboxed and every result says so', async () => {
    const opened = await openPhaseSandbox(phaseContext('sandbox:\n  required: false\n'), 'implementation');
    if (!opened.ok) throw new Error(opened.message);
    expect(opened.sandbox.mode).toBe('unsandboxed');
    const ws = await createWorkspace(root, {
      commandEnv: buildCommandEnv(process.env),
      sandbox: opened.sandbox,
    });
    const text = outcomeText(await runTool(createRunCommandTool(ws), { command: 'echo ran' }));
    expect(text).toMatch(
      /\nran\n+\[ipo: this command ran WITHOUT a sandbox \(sandbox\.required is false and bubblewrap is not installed/,
    );
    const [check] = await runChecks({
      commands: ['echo checked'],
      cwd: root,
      env: ws.commandEnv,
      sandbox: opened.sandbox,
      timeoutMs: 10_000,
    });
    expect(check?.outputTail).toContain('[ipo: this command ran WITHOUT a sandbox');
  });

  it.each([
    ['sandbox.required: false', 'sandbox:\n  required: false\n', true],
    ['the default (required)', '', false],
  ] as const)(
    'with %s, the phase records that its commands ran unsandboxed: %s',
    async (_, config, records) => {
      const ctx = phaseContext(config);
      const opened = await openPhaseSandbox(ctx, 'verification');
      expect(opened.ok).toBe(records);
      expect(ctx.sandboxUse.unsandboxed).toEqual(
        records
          ? expect.stringContaining('bubblewrap is not installed at /nonexistent/ipo-test/bwrap')
          : undefined,
      );
    },
  );

  it('a workspace opened without a sandbox refuses commands instead of running them bare', async () => {
    const ws = await createWorkspace(root, { commandEnv: buildCommandEnv(process.env) });
    const outcome = await runTool(createRunCommandTool(ws), { command: 'echo should-not-run' });
    expect(outcome.isError).toBe(true);
    expect(outcomeText(outcome)).toContain('this workspace has no command sandbox, so commands are refused');
    expect(outcomeText(outcome)).not.toContain('should-not-run\n');
  });

  it('openSandbox throws a SandboxRefusedError when the sandbox is required', async () => {
    await expect(
      openSandbox({ required: true, network: { allow: [], setup: [] } }, host, root),
    ).rejects.toBeInstanceOf(SandboxRefusedError);
  });
});

describe('set-up’s network settings', () => {
  it.each([
    ["verification:\n  setup: 'npm ci'\n", 'verification.setup'],
    ['sandbox:\n  network:\n    setup: registry.npmjs.org\n', 'sandbox.network.setup'],
    ['sandbox:\n  network:\n    setup: [https://registry.npmjs.org/]\n', 'sandbox.network.setup[0]'],
  ])('the config refuses %j, naming %s', (text, key) => {
    expect(() => parseConfig(text)).toThrow(ConfigError);
    expect(() => parseConfig(text)).toThrow(key);
  });
});
