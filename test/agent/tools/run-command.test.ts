import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildCommandEnv } from '../../../src/agent/tools/command-env.ts';
import { createRunCommandTool } from '../../../src/agent/tools/run-command.ts';
import { TailBuffer } from '../../../src/agent/tools/run-process.ts';
import { createWorkspace } from '../../../src/agent/tools/workspace.ts';
import { realSandbox } from '../../support/test-sandbox.ts';
import { type Fixture, makeFixture, outcomeText, removeFixture, runTool } from './workspace-fixture.ts';

let fx: Fixture;
beforeEach(async () => {
  fx = await makeFixture({ commandEnv: buildCommandEnv(process.env), commandTimeoutMs: 20_000 });
  fx.ws = { ...fx.ws, sandbox: await realSandbox(fx.root) };
});
afterEach(() => removeFixture(fx));

const run = async (input: Record<string, unknown>) => runTool(createRunCommandTool(fx.ws), input);

describe('run_command', () => {
  it('returns exit code 0 and the output', async () => {
    const outcome = await run({ command: 'echo hello; echo oops >&2' });
    expect(outcome.isError).toBe(false);
    expect(outcomeText(outcome)).toMatch(/^exit code 0 \(\d+\.\ds\)\nhello\noops\n$/);
  });

  it('treats a non-zero exit as a normal result', async () => {
    const outcome = await run({ command: 'echo failing; exit 3' });
    expect(outcome.isError).toBe(false);
    expect(outcomeText(outcome)).toMatch(/^exit code 3 .*\nfailing\n$/);
  });

  it('runs argv without a shell', async () => {
    const outcome = await run({ argv: ['printf', '%s|', 'a b', '$HOME'] });
    expect(outcomeText(outcome)).toMatch(/\na b\|\$HOME\|$/);
  });

  it('runs in the workspace root', async () => {
    expect(outcomeText(await run({ command: 'pwd -P' }))).toMatch(new RegExp(`\\n${fx.root}\\n$`));
    expect(outcomeText(await run({ argv: ['pwd'] }))).toMatch(new RegExp(`\\n${fx.root}\\n$`));
  });

  it('reports death by signal as 128 + the signal, the way bwrap passes it on', async () => {
    // bwrap reports its command's death by signal n as exit code 128 + n, as a shell does.
    expect(outcomeText(await run({ command: 'kill -9 $$' }))).toMatch(/^exit code 137 /);
  });

  it('kills the whole process tree of a command that runs past its time limit', async () => {
    const started = Date.now();
    const outcome = await run({
      command: '(sleep 1.5; touch survived) & echo started; wait',
      timeoutSeconds: 0.5,
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(outcome.isError).toBe(true);
    expect(outcomeText(outcome)).toMatch(/^Command timed out after 0\.5s and was killed/);
    await new Promise((r) => setTimeout(r, 2000));
    expect(existsSync(path.join(fx.root, 'survived'))).toBe(false);
  });

  it('caps the time limit at the workspace limit', async () => {
    const ws = await createWorkspace(fx.root, {
      commandEnv: fx.ws.commandEnv,
      sandbox: fx.ws.sandbox,
      commandTimeoutMs: 300,
    });
    const started = Date.now();
    const outcome = await runTool(createRunCommandTool(ws), { argv: ['sleep', '30'], timeoutSeconds: 60 });
    expect(outcomeText(outcome)).toContain('timed out after 0.3s');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('does not wait for background processes the command left behind, and kills them', async () => {
    const started = Date.now();
    const outcome = await run({ command: '(sleep 1.5; touch survived) & echo started' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(outcomeText(outcome)).toContain('started');
    await new Promise((r) => setTimeout(r, 2000));
    expect(existsSync(path.join(fx.root, 'survived'))).toBe(false);
  });

  it('keeps the tail of long output and says how much was omitted', async () => {
    const ws = await createWorkspace(fx.root, {
      commandEnv: fx.ws.commandEnv,
      sandbox: fx.ws.sandbox,
      outputCapBytes: 1000,
    });
    const outcome = await runTool(createRunCommandTool(ws), {
      command: "head -c 100000 /dev/zero | tr '\\000' a; printf END",
    });
    const text = outcomeText(outcome);
    expect(text).toContain('\n[… 99003 bytes omitted …]\n');
    expect(text.endsWith(`${'a'.repeat(997)}END`)).toBe(true);
  });

  it('kills the command when the runner aborts', async () => {
    const controller = new AbortController();
    const tool = createRunCommandTool(fx.ws);
    const toolUse = { type: 'tool_use' as const, id: 't', name: tool.name, input: {} };
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const running = tool.run(
      { argv: ['sleep', '30'] },
      { toolUse, toolUseBlock: toolUse, signal: controller.signal },
    );
    await expect(running).rejects.toThrow('Command was aborted');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it.each([
    [{ command: 'true', argv: ['true'] }, 'not both'],
    [{}, 'Give command'],
    [{ argv: [] }, 'Give command'],
    [{ command: '  ' }, 'command is empty'],
  ])('answers %j with an is_error result', async (input, message) => {
    const outcome = await run(input);
    expect(outcome.isError).toBe(true);
    expect(outcomeText(outcome)).toContain(message);
  });
});

describe('run_command start failures', () => {
  it('answers a program that does not exist with bwrap\'s "No such file" and a failing exit code', async () => {
    const outcome = await run({ argv: ['ipo-no-such-program'] });
    expect(outcomeText(outcome)).toMatch(
      /^exit code 1 [\s\S]*ipo-no-such-program: No such file or directory/,
    );
  });
});

describe('run_command environment', () => {
  const parentEnv = {
    PATH: process.env.PATH,
    HOME: '/home/agent',
    LANG: 'C.UTF-8',
    ANTHROPIC_API_KEY: 'sk-ant-api03-leak-value-0001',
    ANTHROPIC_BASE_URL: 'http://leak-value-0002.example',
    GITHUB_TOKEN: 'ghs_leakvalue0003leakvalue0003',
    GITHUB_REPOSITORY: 'leak-value-0004/repo',
    MY_SECRET: 'leak-value-0005',
    NPM_TOKEN: 'leak-value-0006',
    AWS_SECRET_ACCESS_KEY: 'leak-value-0007',
    DB_PASSWORD: 'leak-value-0008',
    ACTIONS_RUNTIME_TOKEN: 'leak-value-0009',
    INPUT_ANTHROPIC_API_KEY: 'leak-value-0010',
    GOOGLE_APPLICATION_CREDENTIALS: '/leak-value-0011.json',
    NODE_OPTIONS: '--require /leak-value-0012.js',
  };
  const extra = {
    NPM_TOKEN: 'leak-value-0013',
    SOME_API_KEY: 'leak-value-0014',
    GITHUB_PAT: 'leak-value-0015',
    GH_AUTH: 'leak-value-0016',
    ANTHROPIC_MODEL: 'leak-value-0017',
    FORCE_COLOR: '0',
  };
  const dropped = [...Object.keys(parentEnv), ...Object.keys(extra)].filter(
    (name) => !['PATH', 'HOME', 'LANG', 'FORCE_COLOR'].includes(name),
  );

  it('shows the command only allowlisted variables: no secret names or values', async () => {
    process.env.IPO_TEST_PARENT_ONLY_TOKEN = 'leak-value-0099';
    try {
      const ws = await createWorkspace(fx.root, {
        commandEnv: buildCommandEnv(parentEnv, extra),
        sandbox: fx.ws.sandbox,
      });
      const outcome = await runTool(createRunCommandTool(ws), { argv: ['env'] });
      const text = outcomeText(outcome);
      // The sandbox's own empty HOME, whatever the parent's was.
      expect(text).toContain('HOME=/home/sandbox');
      expect(text).toContain('FORCE_COLOR=0');
      expect(text).not.toMatch(/leak-value|leakvalue/);
      expect(text).not.toContain('IPO_TEST_PARENT_ONLY_TOKEN');
      for (const name of dropped) expect(text).not.toContain(`${name}=`);
    } finally {
      delete process.env.IPO_TEST_PARENT_ONLY_TOKEN;
    }
  });
});

describe('TailBuffer', () => {
  it.each([
    [['abc', 'def'], 10, 'abcdef', 0],
    [['abc', 'def'], 4, 'cdef', 2],
    [['abcdefgh'], 3, 'fgh', 5],
    [['a', 'b', 'c', 'd', 'e'], 2, 'de', 3],
  ])('pushing %j with cap %i keeps %j and omits %i bytes', (chunks, cap, text, omitted) => {
    const tail = new TailBuffer(cap);
    for (const chunk of chunks) tail.push(Buffer.from(chunk));
    expect(tail.read()).toEqual({ text, omittedBytes: omitted });
  });

  it('starts the tail on a whole UTF-8 character', () => {
    const tail = new TailBuffer(4);
    tail.push(Buffer.from('aé€')); // 1 + 2 + 3 bytes: the last 4 start inside é
    expect(tail.read()).toEqual({ text: '€', omittedBytes: 3 });
  });
});
