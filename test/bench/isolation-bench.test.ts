import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BenchReportSchema } from '../../src/bench/bench-report.ts';
import { type IsolationBenchOptions, runIsolationBench } from '../../src/cli/commands/bench-isolation.ts';
import { DEMO_SCRIPT, EXAMPLE_REPO } from '../../src/cli/commands/demo.ts';

const env = { PATH: process.env.PATH, HOME: process.env.HOME };

async function bench(options: Omit<IsolationBenchOptions, 'json'>) {
  const out: string[] = [];
  const io = { out: (text: string) => void out.push(text), err: () => undefined, isTTY: false };
  await runIsolationBench(io, env, { ...options, json: true });
  return BenchReportSchema.parse(JSON.parse(out.join('')));
}

/** Well-formed XML in the subset the plot writes: every tag closed in order, attributes quoted, one root. */
function checkWellFormedSvg(svg: string): number {
  const stack: string[] = [];
  let elements = 0;
  const text = svg.replace(/^<\?xml[^>]*\?>/, '');
  for (const match of text.matchAll(/<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g)) {
    const [, closing, name = '', , selfClosing] = match;
    if (closing) expect(stack.pop(), `</${name}>`).toBe(name);
    else if (!selfClosing) stack.push(name);
    if (!closing) elements++;
    if (elements === 1) expect(name).toBe('svg');
  }
  expect(stack).toEqual([]);
  // Every `<` started a tag the pattern accepted (no stray markup or unescaped text).
  expect(text.split('<').length - 1).toBe([...text.matchAll(/<\/?[a-zA-Z][^>]*>/g)].length);
  return elements;
}

describe('ipo bench isolation', () => {
  it('--repo/--script on the demo gives the figures of the built-in S run, as JSON that validates, with an SVG plot', async () => {
    const out = await mkdtemp(join(tmpdir(), 'ipo-bench-out-'));
    const builtIn = await bench({ sizes: 'S', out });
    const custom = await bench({ repo: EXAMPLE_REPO, script: DEMO_SCRIPT, task: '1.3' });
    const [s] = builtIn.scenarios;
    const [c] = custom.scenarios;
    if (!s || !c) throw new Error('a scenario report is missing');
    expect(c.monolithic.session.calls).toBe(s.monolithic.session.calls);
    // Token figures depend on timestamps and durations inside the prompts, so they match to within 1 %.
    expect(c.monolithic.session.totalInput).toBeCloseTo(s.monolithic.session.totalInput, -3);
    for (const [i, v] of s.variants.entries()) {
      const w = c.variants[i];
      expect(w?.name).toBe(v.name);
      expect(w?.session.calls).toBe(v.session.calls);
      expect(
        Math.abs((w?.session.billedInput ?? 0) - v.session.billedInput) / v.session.billedInput,
      ).toBeLessThan(0.01);
      for (const [phase, f] of Object.entries(v.phases)) {
        expect(f.calls, phase).toBe(s.monolithic.phases[phase as keyof typeof v.phases].calls);
        expect(f.ratio.peakInput, phase).toBeLessThan(1);
        expect(f.ratio.totalInput, phase).toBeLessThan(1);
      }
    }
    // Later phases carry more history in the monolithic run, so their ratio falls phase after phase.
    const v = s.variants[0];
    expect(v?.phases.verification.ratio.totalInput).toBeLessThan(v?.phases.alignment.ratio.totalInput ?? 0);
    expect(s.monolithic.session.peakInput).toBe(s.monolithic.phases.verification.peakInput);

    expect(builtIn.plot).toBe(join(out, 'isolation-bench.svg'));
    const svg = await readFile(join(out, 'isolation-bench.svg'), 'utf8');
    expect(checkWellFormedSvg(svg)).toBeGreaterThan(10);
    expect(svg).toContain('<polyline');
    expect(svg).toContain('monolithic');
    BenchReportSchema.parse(JSON.parse(await readFile(join(out, 'isolation-bench.json'), 'utf8')));
  }, 300_000);

  it('refuses a script that does not fit the repository, naming the files it reads that are not there', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'ipo-bench-empty-'));
    await expect(bench({ repo: empty, script: DEMO_SCRIPT, task: '1.3' })).rejects.toThrow(
      /does not fit repository .*reads docs\/SPEC\.md, src\/median\.js/,
    );
  });

  it('refuses a missing or invalid script, a missing repository, and --repo without --task, saying what to pass', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ipo-bench-bad-'));
    const invalid = join(dir, 'script.yaml');
    await writeFile(invalid, 'version: 1\nconversations: [{ name: alignment, turns: [{ response: {} }] }]\n');
    await expect(bench({ repo: EXAMPLE_REPO, script: join(dir, 'none.yaml'), task: '1.3' })).rejects.toThrow(
      /--script: .*none\.yaml/,
    );
    await expect(bench({ repo: EXAMPLE_REPO, script: invalid, task: '1.3' })).rejects.toThrow(
      /--script: replay script .*script\.yaml is invalid/,
    );
    await expect(bench({ repo: join(dir, 'nope'), script: DEMO_SCRIPT, task: '1.3' })).rejects.toThrow(
      /--repo .*nope: not a directory/,
    );
    await expect(bench({ repo: EXAMPLE_REPO, script: DEMO_SCRIPT })).rejects.toThrow(/--task go together/);
    await expect(bench({ sizes: 'S,XL' })).rejects.toThrow(/unknown size "XL"/);
  });

  it('refuses a script without a conversation per model phase', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ipo-bench-phases-'));
    const script = join(dir, 'script.json');
    const turn = { response: { content: [{ type: 'text', text: 'hi' }] } };
    await writeFile(
      script,
      JSON.stringify({ version: 1, conversations: [{ name: 'alignment', turns: [turn] }] }),
    );
    await expect(bench({ repo: EXAMPLE_REPO, script, task: '1.3' })).rejects.toThrow(
      /no conversation for implementation, verification/,
    );
  });
});
