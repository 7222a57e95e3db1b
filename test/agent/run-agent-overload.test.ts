import type Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AgentEvent } from '../../src/agent/agent-types.ts';
import { DEFAULT_OVERLOAD_RETRY, overloadDelay } from '../../src/agent/overload-retry.ts';
import { runAgent } from '../../src/agent/run-agent.ts';
import type { ReplayServer } from '../../src/replay/replay-server.ts';
import { clientFor, useReplayServer } from '../replay/replay-fixtures.ts';

const schema = z.strictObject({ answer: z.string() });
const overloaded = { status: 529, message: 'Overloaded (replayed)' };
const script = (faults: number) => ({
  version: 1,
  conversations: [
    {
      name: 'busy',
      turns: [
        {
          faults: Array.from({ length: faults }, () => overloaded),
          response: {
            content: [{ type: 'tool_use', id: 's', name: 'submit_result', input: { answer: 'ok' } }],
          },
        },
      ],
    },
  ],
});

describe('runAgent on an overloaded API', () => {
  const replay = useReplayServer();

  async function run(
    server: ReplayServer,
    client: Anthropic,
    maxTotalMs = DEFAULT_OVERLOAD_RETRY.maxTotalMs,
  ) {
    const waits: number[] = [];
    const events: AgentEvent[] = [];
    const outcome = await runAgent({
      client,
      model: 'claude-sonnet-5-5',
      system: 'You are a test agent.',
      tools: [],
      result: { schema, description: 'Submit.' },
      initialMessage: 'Answer.',
      budgets: { maxTurns: 3, maxInputTokens: 100_000, maxOutputTokens: 10_000, wallTimeMs: 60_000 },
      overloadRetry: { ...DEFAULT_OVERLOAD_RETRY, maxTotalMs },
      // The waits are recorded, not slept: the test checks the policy, not the clock.
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0.5,
      onEvent: (event) => events.push(event),
    });
    return { outcome, waits, events, server };
  }

  it('rides out an overload that outlasts the SDK retries with longer waits, each shown as progress', async () => {
    const server = await replay(script(4));
    const { outcome, waits, events } = await run(server, clientFor(server, 1));
    expect(outcome.ok).toBe(true);
    // 4 answers of 529: the SDK tries twice per call (maxRetries 1), so two calls fail and ours retries twice.
    expect(waits).toEqual([11_250, 22_500]);
    expect(events.filter((e) => e.type === 'retry')).toEqual([
      { type: 'retry', turn: 1, status: 529, attempt: 1, waitMs: 11_250 },
      { type: 'retry', turn: 1, status: 529, attempt: 2, waitMs: 22_500 },
    ]);
  });

  it('fails with the API message once the overload has lasted the whole bound', async () => {
    const server = await replay(script(20));
    const { outcome, waits } = await run(server, clientFor(server), 40_000);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(waits).toEqual([11_250, 22_500, 6_250]);
    expect(outcome.failure).toMatchObject({ kind: 'api', status: 529 });
    expect(outcome.failure.message).toBe(
      'model API error 529 after 4 attempts: Overloaded (replayed). The API is failing or overloaded: try again later.',
    );
  });

  it.each([
    [0, 0, 7_500],
    [0, 1, 15_000],
    [3, 0, 60_000],
    [6, 0.99, 119_400],
  ])(
    'waits between half and all of the doubled delay, capped at 2 min (attempt %i, random %f)',
    (attempt, random, wait) => {
      expect(overloadDelay(DEFAULT_OVERLOAD_RETRY, attempt, 0, () => random)).toBe(wait);
    },
  );

  it('stops once the total wait is spent', () => {
    expect(overloadDelay(DEFAULT_OVERLOAD_RETRY, 2, DEFAULT_OVERLOAD_RETRY.maxTotalMs, () => 0.5)).toBeNull();
  });
});
