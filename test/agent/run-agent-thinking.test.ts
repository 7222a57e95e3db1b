import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runAgent } from '../../src/agent/run-agent.ts';
import { buildCommandEnv, createTools, createWorkspace } from '../../src/agent/tools/index.ts';
import { parseConfig } from '../../src/settings/parse-config.ts';
import { clientFor, useReplayServer } from '../replay/replay-fixtures.ts';

const schema = z.strictObject({ summary: z.string().min(1) });
const script = {
  version: 1,
  conversations: [
    {
      name: 'thinks',
      turns: [
        {
          response: {
            content: [
              { type: 'thinking', thinking: 'I should list the files first.' },
              { type: 'tool_use', id: 'l', name: 'list_files', input: {} },
            ],
          },
        },
        {
          response: {
            content: [{ type: 'tool_use', id: 's', name: 'submit_result', input: { summary: 'listed' } }],
          },
        },
      ],
    },
  ],
};

describe('thinking settings per phase', () => {
  const replay = useReplayServer();
  let workspace: string;
  beforeEach(async () => {
    workspace = await mkdtemp(join(tmpdir(), 'ipo-agent-thinking-'));
  });
  afterEach(async () => {
    await rm(workspace, { recursive: true, force: true });
  });

  it('sends the thinking mode and effort, and passes the thinking block back unchanged (the replay checks its signature)', async () => {
    const server = await replay(script);
    const ws = await createWorkspace(workspace, { commandEnv: buildCommandEnv({ PATH: process.env.PATH }) });
    const outcome = await runAgent({
      client: clientFor(server),
      model: 'claude-sonnet-5-5',
      system: 'You are a test agent.',
      tools: createTools(ws, { write: false, commands: false }),
      result: { schema, description: 'Submit.' },
      initialMessage: 'List the files.',
      budgets: { maxTurns: 5, maxInputTokens: 100_000, maxOutputTokens: 10_000, wallTimeMs: 30_000 },
      maxTokensPerCall: 4000,
      thinking: { mode: 'adaptive', effort: 'low' },
    });
    expect(outcome.ok).toBe(true);
    const bodies = server.requests.map((r) => r.body as Record<string, unknown>);
    for (const body of bodies) {
      expect(body).toMatchObject({
        max_tokens: 4000,
        thinking: { type: 'adaptive' },
        output_config: { effort: 'low' },
      });
    }
    const second = bodies[1] as {
      messages: { role: string; content: { type: string; signature?: string }[] }[];
    };
    expect(second.messages[1]?.content[0]).toMatchObject({ type: 'thinking', signature: expect.any(String) });
    expect(server.requests.every((r) => r.status === 200)).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.metrics.outputTokens).toBeGreaterThan(0);
  });

  it('reads thinking, effort and maxTokensPerCall per phase from the config, with a per-call default that leaves room to think', () => {
    const config = parseConfig(
      'phases:\n  implementation:\n    effort: medium\n    thinking: adaptive\n  commit:\n    thinking: disabled\n',
    );
    expect(config.phases.implementation).toMatchObject({
      effort: 'medium',
      thinking: 'adaptive',
      maxTokensPerCall: 16_000,
    });
    expect(config.phases.commit.thinking).toBe('disabled');
    expect(config.phases.alignment.effort).toBeUndefined();
    expect(() => parseConfig('phases:\n  alignment:\n    effort: extreme\n')).toThrow(
      /phases\.alignment\.effort/,
    );
    expect(() => parseConfig('phases:\n  alignment:\n    maxTokensPerCall: 64000\n')).toThrow(
      /maxTokensPerCall/,
    );
  });
});
