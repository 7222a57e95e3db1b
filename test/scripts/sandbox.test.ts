import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { shortBody, wrap } from '../../scripts/sandbox/render-comments.ts';

const ROOT = join(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');

interface Sandbox {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  exit: Promise<number | null>;
}

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function temp(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** `tsx scripts/sandbox.ts` in a child whose TMPDIR is `tmp`, so what it leaves behind can be listed. */
function startSandbox(args: string[], tmp: string): Sandbox {
  const child = spawn(process.execPath, [TSX, 'scripts/sandbox.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, TMPDIR: tmp, INIT_CWD: ROOT },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

/** What the sandbox left in its TMPDIR, tsx's own compile cache aside. */
async function leftovers(tmp: string): Promise<string[]> {
  return (await readdir(tmp)).filter((name) => !name.startsWith('tsx-'));
}

describe('npm run sandbox, non-interactive', () => {
  it('plays a whole session from a command file: the reader is refused, the session completes, the PR is ready', async () => {
    const tmp = await temp('ipo-sandbox-test-');
    const commands = join(await temp('ipo-sandbox-commands-'), 'commands.txt');
    await writeFile(
      commands,
      [
        '# the demo happy path, with one refusal',
        "as maintainer I'm going to start implementation of phase 1.3",
        'as reader proceed to implementation',
        'as maintainer proceed to implementation',
        'as writer proceed to verification',
        'as maintainer proceed to commit',
        'status',
        'pr',
        '',
      ].join('\n'),
    );
    const sandbox = startSandbox(['--script', commands], tmp);
    const code = await sandbox.exit;
    const out = sandbox.output();
    expect(code, out).toBe(0);
    expect(out).toContain('Model answers are REPLAYED');
    expect(out).toMatch(/app webhook +http:\/\/127\.0\.0\.1:\d+\/api\/github\/webhooks/);
    expect(out).toContain('maintainer (admin), writer (write), reader (read)');
    const refusal = out.slice(out.indexOf('ipo> as reader'), out.indexOf('ipo> as maintainer proceed'));
    expect(refusal).toContain('@reader may not say `proceed to implementation`');
    expect(refusal).not.toMatch(/^run \d+/m);
    for (const phase of ['alignment', 'implementation', 'verification', 'commit']) {
      expect(out).toMatch(new RegExp(`^run \\d+  ${phase} #1  success$`, 'm'));
    }
    const status = out.slice(out.indexOf('ipo> status'), out.indexOf('ipo> pr'));
    expect(status).toMatch(/^state +complete$/m);
    expect(status).toMatch(/^replay +0 scripted model turns left$/m);
    const pr = out.slice(out.indexOf('ipo> pr'));
    expect(pr).toContain('open, ready for review');
    expect(pr).toMatch(/head ipo\/phase-1\.3-\d{8} @ [0-9a-f]{12} → base main/);
    expect(out).toContain('Stopped; servers closed, temporary directories removed.');
    expect(await leftovers(tmp)).toEqual([]);
  }, 60_000);

  it('stops at the first failed command read from stdin and exits 1, still cleaning up', async () => {
    const tmp = await temp('ipo-sandbox-test-');
    const sandbox = startSandbox([], tmp);
    sandbox.child.stdin.end('runs\nas nobody hello\nstatus\n');
    const code = await sandbox.exit;
    const out = sandbox.output();
    expect(code, out).toBe(1);
    expect(out).toContain('ipo> runs\n(no workflow runs)');
    expect(out).toContain('unknown user "nobody": comment as one of maintainer, writer, reader');
    expect(out).not.toContain('ipo> status');
    expect(await leftovers(tmp)).toEqual([]);
  }, 60_000);

  it('shuts down cleanly on SIGINT while waiting for a command, exiting 130 as an interrupted script', async () => {
    const tmp = await temp('ipo-sandbox-test-');
    const sandbox = startSandbox([], tmp);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner:\n${sandbox.output()}`)), 30_000);
      sandbox.child.stdout.on('data', () => {
        if (!sandbox.output().includes('quit  ')) return;
        clearTimeout(timer);
        resolve();
      });
    });
    sandbox.child.kill('SIGINT');
    const code = await sandbox.exit;
    expect(code, sandbox.output()).toBe(130);
    expect(sandbox.output()).toContain('Stopped; servers closed, temporary directories removed.');
    expect(await leftovers(tmp)).toEqual([]);
  }, 60_000);
});

const MARKER =
  '<!-- ipo:status v1 {"session":"phase-1.3-20260101","taskId":"1.3","branch":"ipo/phase-1.3-20260101",' +
  '"state":{"kind":"complete"},"startedBy":"maintainer","issueNumber":1,"baseBranch":"main",' +
  '"attempts":{"alignment":1,"implementation":1,"verification":1,"commit":1},"bases":{},"digests":{}} -->';

describe('shortBody: a comment body as the sandbox prints it', () => {
  it.each([
    ['drops the status marker of a status comment', `### ✅ complete\n\n${MARKER}\n`, ['### ✅ complete']],
    [
      'keeps a marker-like line quoted in code',
      '```\n<!-- ipo:status v1 {} -->\n```',
      ['```', '<!-- ipo:status v1 {} -->', '```'],
    ],
    [
      'shows link text without the URL',
      '✅ done ([run](http://127.0.0.1:1/acme/tally/actions/runs/7)).',
      ['✅ done (run).'],
    ],
    ['folds runs of blank lines and trims the ends', '\n\na\n\n\n\nb\n\n', ['a', '', 'b']],
    ['removes terminal escapes', 'red \u001b[31mtext\u001b[0m', ['red text']],
    ['cuts a long table row', `| ${'x'.repeat(200)} |`, [`| ${'x'.repeat(107)}…`]],
    [
      'says when it hides lines',
      Array.from({ length: 25 }, (_, i) => `line ${i}`).join('\n'),
      [...Array.from({ length: 20 }, (_, i) => `line ${i}`), '… (5 more lines)'],
    ],
    ['shows an empty body as such', '', ['(empty)']],
  ])('%s', (_name, body, expected) => {
    expect(shortBody(body)).toEqual(expected);
  });
});

describe('wrap', () => {
  it.each([
    ['leaves a short line alone, indentation included', '    short', 10, ['    short']],
    ['breaks at the last space that fits', 'aaa bbb ccc', 7, ['aaa bbb', 'ccc']],
    ['gives a word longer than the width a line of its own', 'a bbbbbbbbbb c', 4, ['a', 'bbbbbbbbbb', 'c']],
  ])('%s', (_name, line, width, expected) => {
    expect(wrap(line, width)).toEqual(expected);
  });
});
