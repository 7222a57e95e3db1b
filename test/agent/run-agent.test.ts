import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Anthropic from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AgentBudgets, RunAgentParams } from '../../src/agent/agent-types.ts';
import { createRedactor } from '../../src/agent/redact.ts';
import { runAgent } from '../../src/agent/run-agent.ts';
import { buildCommandEnv, createTools, createWorkspace } from '../../src/agent/tools/index.ts';
import type { ReplayServer } from '../../src/replay/replay-server.ts';
import { clientFor, useReplayServer } from '../replay/replay-fixtures.ts';

const resultSchema = z.strictObject({ answer: z.string().min(1), lines: z.number().int().positive() });
const BUDGETS: AgentBudgets = {
  maxTurns: 10,
  maxInputTokens: 100_000,
  maxOutputTokens: 10_000,
  wallTimeMs: 30_000,
};

const text = (t: string) => ({ type: 'text', text: t });
const tool = (id: string, name: string, input: unknown) => ({ type: 'tool_use', id, name, input });
const submit = (id: string, input: unknown) => tool(id, 'submit_result', input);
const script = (...turns: unknown[]) => ({ version: 1, conversations: [{ name: 'agent', turns }] });
const turn = (content: unknown[], extra: Record<string, unknown> = {}) => ({
  ...extra,
  response: { content },
});

describe('runAgent through the real SDK against the replay server', () => {
  const replay = useReplayServer();
  let workspace: string;
  beforeEach(async () => {
    workspace = await mkdtemp(join(tmpdir(), 'ipo-agent-'));
    await writeFile(join(workspace, 'notes.txt'), 'alpha\nbeta\ngamma\n');
  });
  afterEach(async () => {
    await rm(workspace, { recursive: true, force: true });
  });

  async function run(
    server: ReplayServer,
    overrides: Partial<RunAgentParams<z.infer<typeof resultSchema>>> = {},
    client?: Anthropic,
  ) {
    const ws = await createWorkspace(workspace, {
      commandEnv: buildCommandEnv({ PATH: process.env.PATH, ANTHROPIC_API_KEY: 'sk-ant-secret-123456' }),
    });
    return runAgent({
      client: client ?? clientFor(server),
      model: 'claude-sonnet-5-5',
      system: 'You are a test agent.',
      tools: createTools(ws, { write: false, commands: true }),
      result: { schema: resultSchema, description: 'Submit the answer.' },
      initialMessage: 'Count the lines of notes.txt.',
      budgets: BUDGETS,
      ...overrides,
    });
  }

  it('runs tools over several turns and returns the validated submit_result', async () => {
    const server = await replay(
      script(
        turn([text('Reading the file.'), tool('t1', 'read_file', { path: 'notes.txt' })]),
        turn([submit('t2', { answer: 'three lines', lines: 3 })], {
          expect: { lastToolResultFor: 't1', contains: ['gamma'] },
        }),
      ),
    );
    const outcome = await run(server);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.result).toEqual({ answer: 'three lines', lines: 3 });
    expect(outcome.metrics.turns).toBe(2);
    expect(
      outcome.metrics.calls.every(
        (c) => c.inputTokens + c.cacheCreationInputTokens + c.cacheReadInputTokens > 0,
      ),
    ).toBe(true);
    expect(outcome.metrics.outputTokens).toBeGreaterThan(0);
    expect(outcome.metrics.costUsd).toBeGreaterThan(0);
    expect(server.remaining()).toEqual([]);
  });

  it('sends an invalid submission back as an is_error result naming the fields, then accepts the fix', async () => {
    const server = await replay(
      script(
        turn([submit('s1', { answer: '', lines: 'three' })]),
        turn([submit('s2', { answer: 'three', lines: 3 })], {
          expect: { lastToolResultFor: 's1', lastToolResultIsError: true, contains: ['lines', 'answer'] },
        }),
      ),
    );
    const outcome = await run(server);
    expect(outcome.ok).toBe(true);
    const second = server.requests.at(-1)?.body as { messages: { content: unknown }[] };
    const feedback = JSON.stringify(second.messages.at(-1)?.content);
    expect(feedback).toContain('lines: expected number');
    expect(feedback).toContain('answer:');
  });

  it('fails with the errors after too many invalid submissions', async () => {
    const bad = { answer: 'x', lines: -1 };
    const server = await replay(
      script(turn([submit('a', bad)]), turn([submit('b', bad)]), turn([submit('c', bad)])),
    );
    const outcome = await run(server);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.failure.kind).toBe('invalid-result');
    expect(outcome.failure.message).toMatch(/submit_result was invalid 3 times; last errors: lines:/);
  });

  it.each([
    ['turns', { maxTurns: 2 }, /turn budget exceeded: 2 turns used of 2/],
    ['input-tokens', { maxInputTokens: 50 }, /input-token budget exceeded: \d+ tokens used of 50/],
    ['output-tokens', { maxOutputTokens: 20 }, /output-token budget exceeded: \d+ tokens used of 20/],
  ] as const)('fails cleanly when the %s budget is exceeded', async (budget, limits, message) => {
    const looping = Array.from({ length: 4 }, (_, i) =>
      turn([
        text('Let me look at the file once more, carefully, line by line.'),
        tool(`r${i}`, 'read_file', { path: 'notes.txt' }),
      ]),
    );
    const server = await replay(script(...looping));
    const outcome = await run(server, { budgets: { ...BUDGETS, ...limits } });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.failure).toMatchObject({ kind: 'budget', budget });
    expect(outcome.failure.message).toMatch(message);
    expect(outcome.transcript.at(-1)).toMatchObject({ kind: 'error' });
  });

  it('fails on the wall-time budget while a slow call is in flight', async () => {
    const server = await replay(
      script(turn([submit('s', { answer: 'late', lines: 3 })], { faults: [{ delayMs: 3000 }] })),
    );
    const outcome = await run(server, { budgets: { ...BUDGETS, wallTimeMs: 300 } });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.failure).toMatchObject({ kind: 'budget', budget: 'wall-time', limit: 300 });
  });

  it('rides out two 529 overloaded answers through the SDK retries', async () => {
    const server = await replay(
      script(
        turn([submit('s', { answer: 'ok', lines: 3 })], {
          faults: [
            { status: 529, retryAfterSeconds: 0 },
            { status: 529, retryAfterSeconds: 0 },
          ],
        }),
      ),
    );
    const outcome = await run(server, {}, clientFor(server, 2));
    expect(outcome.ok).toBe(true);
    expect(server.requests.filter((r) => r.status === 529)).toHaveLength(2);
  });

  it('fails with the status and the API message once the retries run out', async () => {
    const overloaded = { status: 529, retryAfterSeconds: 0, message: 'Overloaded (replayed)' };
    const server = await replay(
      script(
        turn([submit('s', { answer: 'ok', lines: 3 })], { faults: [overloaded, overloaded, overloaded] }),
      ),
    );
    const outcome = await run(server, {}, clientFor(server, 2));
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.failure).toMatchObject({ kind: 'api', status: 529 });
    expect(outcome.failure.message).toBe(
      'model API error 529 after 3 attempts: Overloaded (replayed). The API is failing or overloaded: try again later.',
    );
  });

  it('ends as failed with the model text on a refusal', async () => {
    const server = await replay(
      script({ response: { content: [text('I cannot help with that request.')], stop_reason: 'refusal' } }),
    );
    const outcome = await run(server);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.failure).toEqual({
      kind: 'refusal',
      message: 'the model refused: I cannot help with that request.',
    });
  });

  it('marks the system prompt, the tools and the newest message for prompt caching, so turn 2 reads the cache', async () => {
    const server = await replay(
      script(
        turn([tool('t1', 'read_file', { path: 'notes.txt' })]),
        turn([submit('t2', { answer: 'a', lines: 3 })]),
      ),
    );
    const outcome = await run(server);
    expect(outcome.ok).toBe(true);
    for (const request of server.requests) {
      const body = request.body as {
        system: { cache_control?: unknown }[];
        tools: { cache_control?: unknown }[];
        messages: { content: { cache_control?: unknown }[] }[];
      };
      expect(body.system.at(-1)?.cache_control).toEqual({ type: 'ephemeral' });
      expect(body.tools.at(-1)?.cache_control).toEqual({ type: 'ephemeral' });
      expect(body.messages.at(-1)?.content.at(-1)?.cache_control).toEqual({ type: 'ephemeral' });
      expect(
        body.messages
          .slice(0, -1)
          .flatMap((m) => m.content)
          .some((b) => b.cache_control),
      ).toBe(false);
    }
    if (!outcome.ok) return;
    expect(outcome.metrics.calls[1]?.cacheReadInputTokens).toBeGreaterThan(0);
  });

  it('refuses escapes from the workspace and keeps secrets out of commands, as the model sees it', async () => {
    const server = await replay(
      script(
        turn([
          tool('a', 'read_file', { path: '../../../etc/passwd' }),
          tool('b', 'run_command', { command: 'env' }),
        ]),
        turn([submit('s', { answer: 'done', lines: 3 })], {
          expect: { notContains: ['sk-ant-secret-123456', 'root:x:0:0'] },
        }),
      ),
    );
    const outcome = await run(server);
    expect(outcome.ok).toBe(true);
    const last = server.requests.at(-1)?.body as { messages: unknown[] } | undefined;
    const results = JSON.stringify(last?.messages.at(-1));
    expect(results).toContain('Refused path');
    expect(results).not.toContain('ANTHROPIC_API_KEY');
  });

  it('redacts secrets from the transcript', async () => {
    const secret = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    await writeFile(join(workspace, 'notes.txt'), `token=${secret}\n`);
    const server = await replay(
      script(
        turn([tool('t1', 'read_file', { path: 'notes.txt' })]),
        turn([submit('t2', { answer: `saw ${secret}`, lines: 1 })]),
      ),
    );
    const outcome = await run(server, { redact: createRedactor([secret]) });
    const transcript = JSON.stringify(outcome.transcript);
    expect(transcript).not.toContain(secret);
    expect(transcript).toContain('[REDACTED]');
  });
});
