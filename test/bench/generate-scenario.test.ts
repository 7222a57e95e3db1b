import { describe, expect, it } from 'vitest';
import { generateScenario } from '../../src/bench/scenarios/generate-scenario.ts';
import { deepMerge } from '../../src/bench/scenarios/scenario-repo.ts';
import { DEMO_SCRIPT } from '../../src/cli/commands/demo.ts';
import { loadScript, validateScript } from '../../src/replay/load-script.ts';

const calls = (s: ReturnType<typeof generateScenario>) =>
  s.script.conversations.reduce((sum, c) => sum + c.turns.length, 0);

describe('scenario generator', () => {
  it('is deterministic: the same seed gives the same scenario, another seed another one', async () => {
    const base = await loadScript(DEMO_SCRIPT);
    expect(generateScenario('L', base, 7)).toEqual(generateScenario('L', base, 7));
    expect(generateScenario('L', base, 7).script).not.toEqual(generateScenario('L', base, 8).script);
  });

  it('hits its call counts: S is the demo, M about 40 calls, L at least 150, each a valid replay script', async () => {
    const base = await loadScript(DEMO_SCRIPT);
    expect(generateScenario('S', base).script).toEqual(base);
    expect(calls(generateScenario('M', base))).toBe(40);
    expect(calls(generateScenario('L', base))).toBeGreaterThanOrEqual(150);
    for (const size of ['M', 'L'] as const) {
      const scenario = generateScenario(size, base);
      expect(() => validateScript(scenario.script)).not.toThrow();
      // Each phase still ends with the demo's own submission, and every tool_use id is unique.
      for (const conversation of scenario.script.conversations) {
        const last = conversation.turns.at(-1)?.response.content.at(-1);
        expect(last?.type === 'tool_use' && last.name).toBe('submit_result');
      }
      const ids = scenario.script.conversations.flatMap((c) =>
        c.turns.flatMap((t) => t.response.content.flatMap((b) => (b.type === 'tool_use' ? [b.id] : []))),
      );
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('has realistic tool outputs: source files of a few hundred lines, repeated reads, failed attempts before the fix', async () => {
    const scenario = generateScenario('L', await loadScript(DEMO_SCRIPT));
    const modules = Object.entries(scenario.files).filter(([path]) => path.startsWith('src/'));
    expect(modules.length).toBeGreaterThan(0);
    for (const [, text] of modules) expect(text.split('\n').length).toBeGreaterThanOrEqual(200);
    const blocks = scenario.script.conversations.flatMap((c) =>
      c.turns.flatMap((t) => t.response.content.flatMap((b) => (b.type === 'tool_use' ? [b] : []))),
    );
    const reads = blocks.filter((b) => b.name === 'read_file').map((b) => String(b.input.path));
    expect(reads.length - new Set(reads).size).toBeGreaterThan(10);
    const implementation = scenario.script.conversations.find((c) => c.name === 'implementation');
    const writes = (implementation?.turns ?? []).flatMap((t) =>
      t.response.content.flatMap((b) =>
        b.type === 'tool_use' && b.name === 'write_file' ? [String(b.input.content)] : [],
      ),
    );
    // Wrong attempts (string sort) come first; the demo's numeric-sort fix is the last write.
    expect(writes.slice(0, -1).some((w) => w.includes('.sort();'))).toBe(true);
    expect(writes.at(-1)).toContain('(a, b) => a - b');
    expect(blocks.filter((b) => b.name === 'run_command').length).toBeGreaterThan(5);
  });

  it('merges a variant config over the scenario config key by key', () => {
    expect(
      deepMerge(
        { phases: { implementation: { maxTurns: 100 } } },
        { phases: { implementation: { context: 'off' } } },
      ),
    ).toEqual({ phases: { implementation: { maxTurns: 100, context: 'off' } } });
  });
});
