import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RunAgentParams } from '../../src/agent/agent-types.ts';
import type { ClearPolicy } from '../../src/agent/context/clear-policy.ts';
import { billedInputTokens } from '../../src/agent/prices.ts';
import { runAgent } from '../../src/agent/run-agent.ts';
import { buildCommandEnv, createTools, createWorkspace } from '../../src/agent/tools/index.ts';
import type { ReplayServer } from '../../src/replay/replay-server.ts';
import { configSchema } from '../../src/state/config.ts';
import { clientFor, MODEL, useReplayServer } from '../replay/replay-fixtures.ts';

const resultSchema = z.strictObject({ summary: z.string().min(1) });
const tool = (id: string, name: string, input: unknown) => ({ type: 'tool_use', id, name, input });
const read = (id: string, path: string) => tool(id, 'read_file', { path });
const script = (...turns: unknown[]) => ({ version: 1, conversations: [{ name: 'agent', turns }] });
const turn = (content: unknown[], expect?: Record<string, unknown>) => ({
  ...(expect ? { expect } : {}),
  response: { content },
});

/** Source-like text of about `lines` × 60 characters, different per file so the tokenizer cannot fold it. */
function sourceText(name: string, lines: number): string {
  return Array.from(
    { length: lines },
    (_, i) => `export const ${name}_${i} = compute(${i}, "${name} value ${i * 7919}"); // note ${i}`,
  ).join('\n');
}

describe('runAgent: context management inside a phase', () => {
  const replay = useReplayServer();
  let workspace: string;
  beforeEach(async () => {
    workspace = await mkdtemp(join(tmpdir(), 'ipo-agent-context-'));
    await mkdir(join(workspace, 'src'));
  });
  afterEach(async () => {
    await rm(workspace, { recursive: true, force: true });
  });

  async function run(server: ReplayServer, overrides: Partial<RunAgentParams<{ summary: string }>> = {}) {
    const ws = await createWorkspace(workspace, { commandEnv: buildCommandEnv({ PATH: process.env.PATH }) });
    return runAgent({
      client: clientFor(server),
      model: MODEL,
      system: 'You are a test agent.',
      tools: createTools(ws, { write: true, commands: false }),
      result: { schema: resultSchema, description: 'Submit the summary.' },
      initialMessage: 'Read the sources and summarize them.',
      budgets: { maxTurns: 80, maxInputTokens: 50_000_000, maxOutputTokens: 50_000, wallTimeMs: 60_000 },
      ...overrides,
    });
  }

  it('clears an old read to a stub, leaves thinking untouched, and the model gets the content back by reading the file again', async () => {
    await writeFile(
      join(workspace, 'src/core.ts'),
      `${sourceText('core', 90)}\nexport const MARKER_CORE = 42;\n`,
    );
    for (const n of [1, 2, 3]) await writeFile(join(workspace, `src/big${n}.ts`), sourceText(`big${n}`, 130));
    const stub = '[cleared: read_file src/core.ts, ';
    const server = await replay(
      script(
        // Thinking blocks go back signed and unchanged; the replay server refuses a changed one.
        turn([{ type: 'thinking', thinking: 'Start with the core.' }, read('r0', 'src/core.ts')]),
        turn([{ type: 'thinking', thinking: 'Now the big files.' }, read('r1', 'src/big1.ts')], {
          contains: ['MARKER_CORE'],
        }),
        turn([read('r2', 'src/big2.ts')]),
        turn([read('r3', 'src/big3.ts')]),
        // The results passed the trigger: core.ts (the oldest) is now a stub naming how to get it back.
        turn([read('r4', 'src/core.ts')], {
          contains: [stub, 'call read_file again if you need it]'],
          notContains: ['MARKER_CORE'],
        }),
        turn([tool('s', 'submit_result', { summary: 'MARKER_CORE is 42' })], {
          contains: ['MARKER_CORE = 42', stub],
          lastToolResultFor: 'r4',
        }),
      ),
    );
    const outcome = await run(server, {
      context: { keepRecent: 2, triggerTokens: 6000, targetTokens: 2000 },
    });
    expect(outcome.ok).toBe(true);
    const clearings = outcome.transcript.filter((e) => e.kind === 'context-cleared');
    expect(clearings).toHaveLength(1);
    expect(clearings[0]).toMatchObject({
      kind: 'context-cleared',
      turn: 5,
      cleared: [
        { toolUseId: 'r0', tool: 'read_file', subject: 'src/core.ts' },
        { toolUseId: 'r1', tool: 'read_file', subject: 'src/big1.ts' },
      ],
    });
    const first = clearings[0];
    if (first?.kind !== 'context-cleared') throw new Error('unreachable');
    expect(first.tokensFreed).toBe(first.cleared.reduce((sum, c) => sum + c.tokens, 0));
    expect(first.tokensFreed).toBeGreaterThan(3000);
    // The transcript's own user entry still holds what the model saw at turn 2, the audit trail's other half.
    expect(JSON.stringify(outcome.transcript)).toContain('MARKER_CORE = 42');
    // Every request stayed within the API's 4 cache_control blocks (the replay server enforces it, too).
    for (const request of server.requests)
      expect(JSON.stringify(request.body).split('"cache_control"').length - 1).toBeLessThanOrEqual(4);
  });

  it('keeps a result the model marked keep: true, and clears nothing with no policy', async () => {
    await writeFile(
      join(workspace, 'src/core.ts'),
      `${sourceText('core', 90)}\nexport const MARKER_CORE = 42;\n`,
    );
    for (const n of [1, 2, 3]) await writeFile(join(workspace, `src/big${n}.ts`), sourceText(`big${n}`, 130));
    const turns = () => [
      turn([tool('r0', 'read_file', { path: 'src/core.ts', keep: true })]),
      turn([read('r1', 'src/big1.ts')]),
      turn([read('r2', 'src/big2.ts')]),
      turn([read('r3', 'src/big3.ts')]),
      turn([tool('s', 'submit_result', { summary: 'done' })], {
        contains: ['MARKER_CORE = 42'],
        notContains: ['[cleared: read_file src/core.ts'],
      }),
    ];
    const kept = await run(await replay(script(...turns())), {
      context: { keepRecent: 2, triggerTokens: 6000, targetTokens: 4000 },
    });
    expect(kept.ok).toBe(true);
    expect(kept.transcript.filter((e) => e.kind === 'context-cleared')).toMatchObject([
      { turn: 5, cleared: [{ toolUseId: 'r1' }] },
    ]);
    const unmanaged = await run(await replay(script(...turns())));
    expect(unmanaged.ok).toBe(true);
    expect(unmanaged.transcript.filter((e) => e.kind === 'context-cleared')).toEqual([]);
  });

  /**
   * The trade-off, measured on a replayed long phase: 60 turns, each reading a different ~2k-token file (as an
   * implementation phase reading its way through a repository). Billed input counts cache writes and reads at
   * the model's own multipliers (prices.ts). Printed for the record; the assertions are on ratios only.
   * Measured 2026-12-08 (replay tokenizer): off 450,733 billed / 164,787 peak; batched defaults 373,606 / 44,755
   * (5 clearings); clearing every turn 1,212,290 / 19,797 (54 clearings): each clearing changes a block that every
   * cached prefix holds, so the whole conversation after the system prompt is written again at 1.25×.
   */
  it('bills less input on a long replayed phase with batched clearing than without management or with clearing every turn', async () => {
    const calls = 60;
    for (let i = 0; i < calls; i++)
      await writeFile(join(workspace, `src/f${i}.ts`), sourceText(`f${i}`, 110));
    const longScript = () =>
      script(
        ...Array.from({ length: calls }, (_, i) => turn([read(`r${i}`, `src/f${i}.ts`)])),
        turn([tool('s', 'submit_result', { summary: 'read everything' })]),
      );
    const defaults = configSchema.parse({}).phases.implementation.context;
    const variants: [string, ClearPolicy | undefined][] = [
      ['off', undefined],
      ['every turn', { keepRecent: defaults.keepRecent, triggerTokens: 10_001, targetTokens: 10_000 }],
      [
        'batched (defaults)',
        {
          keepRecent: defaults.keepRecent,
          triggerTokens: defaults.triggerTokens,
          targetTokens: defaults.targetTokens,
        },
      ],
    ];
    const figures: Record<string, { billed: number; peak: number; clearings: number }> = {};
    for (const [name, context] of variants) {
      const outcome = await run(await replay(longScript()), context ? { context } : {});
      expect(outcome.ok).toBe(true);
      figures[name] = {
        billed: Math.round(outcome.metrics.calls.reduce((sum, c) => sum + billedInputTokens(MODEL, c), 0)),
        peak: outcome.metrics.peakInputTokens,
        clearings: outcome.transcript.filter((e) => e.kind === 'context-cleared').length,
      };
    }
    console.log(`context management on ${calls + 1} replayed calls (${MODEL}):`, figures);
    const off = figures.off;
    const every = figures['every turn'];
    const batched = figures['batched (defaults)'];
    if (!off || !every || !batched) throw new Error('a variant did not run');
    expect(batched.billed).toBeLessThan(off.billed);
    expect(batched.peak).toBeLessThan(off.peak / 2);
    expect(batched.clearings).toBeLessThan(every.clearings);
    expect(batched.billed).toBeLessThan(every.billed);
  });
});
