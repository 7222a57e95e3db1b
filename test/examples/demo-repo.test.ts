import { execFile } from 'node:child_process';
import { access, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

const EXAMPLE_DIR = fileURLToPath(new URL('../../examples/demo-repo/', import.meta.url));

/** The roadmap task the demo runs, and the tests written for it before the code (test/median.test.js). */
const TARGET_TASK = '1.3';
const TARGET_SUITE = 'median';
const TARGET_TESTS = [
  'returns the middle value of an odd-length list',
  'returns the mean of the two middle values of an even-length list',
  'sorts numerically, not as strings',
  'leaves the input unchanged',
  'throws RangeError on an empty list',
  'throws TypeError naming the first item that is not a finite number',
];

/** What the demo's replayed implementation phase writes: one `write_file` call on the stub. */
const INTENDED_CHANGE = {
  path: 'src/median.js',
  content: `import { assertNumbers } from './validate.js';

/**
 * Middle value of a non-empty list of numbers. See docs/SPEC.md §4.
 * @param {number[]} values
 * @returns {number}
 */
export function median(values) {
  assertNumbers('median', values);
  // Sort a copy: the caller's array must not change (§1), and the default sort compares items as strings.
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
`,
} as const;

interface TestRun {
  code: number;
  passed: string[];
  failed: string[];
  summary: Record<string, number>;
  output: string;
}

/** Runs `node --test` in `cwd` with TAP output (the default reporter differs between Node versions). */
function runNodeTest(cwd: string): Promise<TestRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--test', '--test-reporter=tap'],
      // A bare env: vitest's NODE_OPTIONS and friends must not leak into the example's test run.
      { cwd, env: { PATH: process.env.PATH ?? '' }, timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({
          code: typeof error?.code === 'number' ? error.code : 0,
          ...parseTap(stdout),
          output: stdout + stderr,
        });
      },
    );
  });
}

/** Test results by name (suites included) and the `# pass 11`-style totals from TAP output. */
function parseTap(tap: string): Pick<TestRun, 'passed' | 'failed' | 'summary'> {
  const passed: string[] = [];
  const failed: string[] = [];
  const summary: Record<string, number> = {};
  for (const line of tap.split('\n')) {
    const result = /^\s*(ok|not ok) \d+ - (.*)$/.exec(line);
    if (result?.[2] !== undefined) (result[1] === 'ok' ? passed : failed).push(result[2]);
    const total = /^# (\w+) (\d+)$/.exec(line);
    if (total?.[1] !== undefined && total[2] !== undefined) summary[total[1]] = Number(total[2]);
  }
  return { passed, failed, summary };
}

const tempDirs: string[] = [];

async function copyExample(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ipo-demo-repo-'));
  tempDirs.push(dir);
  await cp(EXAMPLE_DIR, dir, { recursive: true });
  return dir;
}

afterEach(async () => {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('examples/demo-repo', () => {
  it(`fails only on task ${TARGET_TASK}'s tests as shipped`, async () => {
    const run = await runNodeTest(await copyExample());

    expect(run.code, run.output).not.toBe(0);
    expect([...run.failed].sort()).toEqual([TARGET_SUITE, ...TARGET_TESTS].sort());
    expect(run.passed).toEqual(expect.arrayContaining(['sum', 'mean']));
    expect(run.summary).toMatchObject({ fail: TARGET_TESTS.length, cancelled: 0, skipped: 0, todo: 0 });
  });

  it('passes every test once the intended change is applied', async () => {
    const dir = await copyExample();
    const target = join(dir, INTENDED_CHANGE.path);
    expect(await readFile(target, 'utf8')).toContain('not implemented');
    await writeFile(target, INTENDED_CHANGE.content);

    const run = await runNodeTest(dir);

    expect(run.code, run.output).toBe(0);
    expect(run.failed).toEqual([]);
    expect(run.passed).toEqual(expect.arrayContaining([TARGET_SUITE, ...TARGET_TESTS, 'sum', 'mean']));
    expect(run.summary).toMatchObject({ fail: 0, cancelled: 0, skipped: 0, todo: 0 });
  });

  it('is a dependency-free package whose npm test is node --test', async () => {
    const pkg = JSON.parse(await readFile(join(EXAMPLE_DIR, 'package.json'), 'utf8'));

    expect(pkg).toMatchObject({ type: 'module', scripts: { test: 'node --test' } });
    expect(pkg).not.toHaveProperty('dependencies');
    expect(pkg).not.toHaveProperty('devDependencies');
  });

  it(`points ipo at a spec and a roadmap that has task ${TARGET_TASK} open`, async () => {
    const config = parseYaml(await readFile(join(EXAMPLE_DIR, '.github/ipo.yml'), 'utf8'));
    expect(config).toEqual({
      spec: 'docs/SPEC.md',
      tasks: 'docs/ROADMAP.md',
      verification: { commands: ['npm test'] },
    });
    await expect(access(join(EXAMPLE_DIR, config.spec))).resolves.toBeUndefined();

    const roadmap = await readFile(join(EXAMPLE_DIR, config.tasks), 'utf8');
    const statuses = [...roadmap.matchAll(/^### (\d+\.\d+) .*\n\nStatus: (\w+)/gm)].map((m) => [m[1], m[2]]);
    expect(statuses).toEqual([
      ['1.1', 'done'],
      ['1.2', 'done'],
      ['1.3', 'open'],
      ['2.1', 'open'],
      ['2.2', 'open'],
    ]);
  });
});
