import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A phase process that stops (a signal, or the ipo that spawned it gone) takes its commands with it, also under the
// `sandbox.required: false` opt-out, where no bwrap `--die-with-parent` does it: commands run in their own process
// group, which a terminal's Ctrl-C does not reach.

let dir: string;
const src = (path: string) => fileURLToPath(new URL(`../../src/${path}`, import.meta.url));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ipo-phase-stop-'));
  // What `ipo run-phase --end-with-parent` does around its commands, with an unsandboxed one that outlives 1.5 s.
  await writeFile(
    join(dir, 'phase.mts'),
    [
      `import { runProcess } from ${JSON.stringify(src('agent/tools/run-process.ts'))};`,
      `import { unsandboxed } from ${JSON.stringify(src('sandbox/sandbox.ts'))};`,
      `import { stopWithSignals } from ${JSON.stringify(src('cli/commands/run-phase.ts'))};`,
      'stopWithSignals(true);',
      'const marker = process.argv[2];',
      "const command = runProcess({ file: 'sh', args: ['-c', 'sleep 1.5; touch \"$1\"', 'sh', marker],",
      "  cwd: process.cwd(), env: { PATH: process.env.PATH ?? '' }, timeoutMs: 20000, capBytes: 1000,",
      "  sandbox: unsandboxed('the test opts out') });",
      "setTimeout(() => console.log('started'), 300);",
      'await command;',
    ].join('\n'),
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function stopPhase(
  how: 'SIGINT' | 'SIGTERM' | 'parent gone',
): Promise<{ code: number | null; survived: boolean }> {
  const marker = join(dir, `survived-${how.replace(' ', '-')}`);
  const child = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), join(dir, 'phase.mts'), marker],
    {
      cwd: dir,
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve) =>
    child.stdout.on('data', (t: Buffer) => t.includes('started') && resolve()),
  );
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  if (how === 'parent gone') child.stdin.end();
  else child.kill(how);
  const code = await closed;
  await new Promise((r) => setTimeout(r, 2500));
  return { code, survived: existsSync(marker) };
}

describe.concurrent('a stopped phase process', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['parent gone', 143],
  ] as const)('on %s exits (%s) and kills its unsandboxed command', async (how, code) => {
    expect(await stopPhase(how)).toEqual({ code, survived: false });
  });
});
