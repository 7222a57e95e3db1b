import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AgentBudgets, AgentEvent, RunAgentParams } from '../../src/agent/agent-types.ts';
import { runAgent } from '../../src/agent/run-agent.ts';
import { buildCommandEnv, createTools, createWorkspace } from '../../src/agent/tools/index.ts';
import type { ReplayServer } from '../../src/replay/replay-server.ts';
import { clientFor, useReplayServer } from '../replay/replay-fixtures.ts';

const resultSchema = z.strictObject({ summary: z.string().min(1) });
const BUDGETS: AgentBudgets = {
  maxTurns: 10,
  maxInputTokens: 200_000,
  maxOutputTokens: 20_000,
  wallTimeMs: 30_000,
};

const tool = (id: string, name: string, input: unknown) => ({ type: 'tool_use', id, name, input });
const thinking = (text: string) => ({ type: 'thinking', thinking: text });
const submit = (id: string, summary: string) => tool(id, 'submit_result', { summary });
const script = (...turns: unknown[]) => ({ version: 1, conversations: [{ name: 'agent', turns }] });
const turn = (content: unknown[], extra: Record<string, unknown> = {}) => ({
  ...extra,
  response: { content },
});
/** About 1,000 tokens of file content: more than the small per-call limits below allow. */
const LONG = Array.from({ length: 300 }, (_, i) => `line ${i}`).join('\n');

describe('runAgent: what one turn may do', () => {
  const replay = useReplayServer();
  let workspace: string;
  beforeEach(async () => {
    workspace = await mkdtemp(join(tmpdir(), 'ipo-agent-turns-'));
  });
  afterEach(async () => {
    await rm(workspace, { recursive: true, force: true });
  });

  async function run(server: ReplayServer, overrides: Partial<RunAgentParams<{ summary: string }>> = {}) {
    const ws = await createWorkspace(workspace, { commandEnv: buildCommandEnv({ PATH: process.env.PATH }) });
    const events: AgentEvent[] = [];
    const outcome = await runAgent({
      client: clientFor(server),
      model: 'claude-sonnet-5-5',
      system: 'You are a test agent.',
      tools: createTools(ws, { write: true, commands: false }),
      result: { schema: resultSchema, description: 'Submit the summary.' },
      initialMessage: 'Write notes.txt.',
      budgets: BUDGETS,
      configKey: 'phases.implementation',
      onEvent: (event) => events.push(event),
      ...overrides,
    });
    return { outcome, events };
  }

  const fileText = () => readFile(join(workspace, 'notes.txt'), 'utf8').catch(() => null);

  it('never runs a write_file cut off at max_tokens: it asks again with a higher limit and writes the whole file', async () => {
    const server = await replay(
      script(
        turn([tool('w', 'write_file', { path: 'notes.txt', content: LONG })]),
        turn([submit('s', 'wrote notes.txt')], {
          expect: { lastToolResultFor: 'w', lastToolResultIsError: false },
        }),
      ),
    );
    const { outcome, events } = await run(server, { maxTokensPerCall: 200 });
    expect(outcome.ok).toBe(true);
    expect(await fileText()).toBe(LONG);
    const sent = server.requests.map((r) => (r.body as { max_tokens: number }).max_tokens);
    expect(sent).toEqual([200, 400, 800, 1600, 1600]);
    expect(events.filter((e) => e.type === 'truncated')).toEqual([
      { type: 'truncated', turn: 1, maxTokens: 200, nextMaxTokens: 400 },
      { type: 'truncated', turn: 2, maxTokens: 400, nextMaxTokens: 800 },
      { type: 'truncated', turn: 3, maxTokens: 800, nextMaxTokens: 1600 },
    ]);
    // The cut-off answers never entered the conversation: the next request holds one assistant message.
    const last = server.requests.at(-1)?.body as { messages: { role: string }[] };
    expect(last.messages.filter((m) => m.role === 'assistant')).toHaveLength(1);
  });

  it('fails with the limit and the config keys to raise when the output budget leaves no more room, and writes nothing', async () => {
    const server = await replay(
      script(turn([tool('w', 'write_file', { path: 'notes.txt', content: LONG })])),
    );
    const { outcome } = await run(server, {
      budgets: { ...BUDGETS, maxOutputTokens: 300 },
      maxTokensPerCall: 200,
    });
    expect(await fileText()).toBeNull();
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.failure).toMatchObject({ kind: 'truncated', maxTokens: 200 });
    expect(outcome.failure.message).toBe(
      "the model's answer in turn 1 was cut off at max_tokens (200 tokens); its unfinished write_file call was not run. " +
        'Raise phases.implementation.maxOutputTokens (300, 100 left) or phases.implementation.maxTokensPerCall, ' +
        'or lower phases.implementation.effort, then retry the phase',
    );
  });

  it('counts thinking against max_tokens and the output budget, stops when a second try could get no more room, and says how much of a cut-off answer was thinking', async () => {
    const server = await replay(script(turn([thinking(LONG), submit('s', 'done')])));
    const { outcome } = await run(server, {
      budgets: { ...BUDGETS, maxOutputTokens: 500 },
      maxTokensPerCall: 250,
    });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.failure.message).toMatch(
      /cut off at max_tokens \(250 tokens, 250 of them thinking\)\. Raise/,
    );
    expect(outcome.metrics.outputTokens).toBe(250);
  });

  it('runs a write_file sent beside submit_result before it accepts the submission', async () => {
    const server = await replay(
      script(
        turn([
          submit('s', 'wrote notes.txt'),
          tool('w', 'write_file', { path: 'notes.txt', content: 'hi\n' }),
        ]),
      ),
    );
    const { outcome, events } = await run(server);
    expect(outcome.ok).toBe(true);
    expect(await fileText()).toBe('hi\n');
    expect(events).toContainEqual({ type: 'tool', turn: 1, name: 'write_file', isError: false });
  });

  it('refuses a submission whose sibling tool call failed, with one result per call in call order', async () => {
    const server = await replay(
      script(
        turn([
          tool('r', 'read_file', { path: 'missing.txt' }),
          submit('s1', 'read it'),
          tool('w', 'write_file', { path: 'notes.txt', content: 'hi\n' }),
        ]),
        turn([submit('s2', 'missing.txt does not exist')], {
          expect: { lastToolResultFor: 'w', contains: ['Not accepted: read_file in the same turn failed'] },
        }),
      ),
    );
    const { outcome } = await run(server);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.result.summary).toBe('missing.txt does not exist');
    const second = server.requests.at(-1)?.body as {
      messages: { content: { type: string; tool_use_id?: string }[] }[];
    };
    expect(second.messages.at(-1)?.content.map((b) => [b.type, b.tool_use_id])).toEqual([
      ['tool_result', 'r'],
      ['tool_result', 's1'],
      ['tool_result', 'w'],
    ]);
  });
});
