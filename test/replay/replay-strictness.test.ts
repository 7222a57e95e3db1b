import { APIError } from '@anthropic-ai/sdk';
import type {
  BetaMessageContentParam,
  BetaMessageParam,
} from '@anthropic-ai/sdk/resources/beta/messages/messages';
import { describe, expect, it } from 'vitest';
import { clientFor, MODEL, useReplayServer } from './replay-fixtures.ts';

const turns = (...responses: unknown[][]) => ({
  version: 1,
  conversations: [{ name: 'strict', turns: responses.map((content) => ({ response: { content } })) }],
});
const text = (t: string) => ({ type: 'text', text: t });
const ephemeral = { type: 'ephemeral' } as const;
const LONG = Array.from({ length: 200 }, (_, i) => `line ${i}`).join('\n');

describe('the replay server refuses what the Messages API refuses', () => {
  const replay = useReplayServer();

  async function refusal(messages: BetaMessageParam[], extra: Record<string, unknown> = {}) {
    const server = await replay(turns([text('a')], [text('b')]));
    const error = await clientFor(server)
      .beta.messages.create({ model: MODEL, max_tokens: 100, messages, ...extra })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    const api = error as APIError;
    expect(api.status).toBe(400);
    expect(api.error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    return (api.error as { error: { message: string } }).error.message;
  }

  const toolTurn: BetaMessageParam = {
    role: 'assistant',
    content: [
      { type: 'tool_use', id: 'a', name: 'read_file', input: {} },
      { type: 'tool_use', id: 'b', name: 'read_file', input: {} },
    ],
  };
  const result = (id: string) => ({ type: 'tool_result' as const, tool_use_id: id, content: 'ok' });

  it('refuses a fifth cache_control block with the count found', async () => {
    const blocks = Array.from({ length: 5 }, (_, i) => ({
      type: 'text' as const,
      text: `p${i}`,
      cache_control: ephemeral,
    }));
    expect(await refusal([{ role: 'user', content: blocks }])).toBe(
      'A maximum of 4 blocks with cache_control may be provided. Found 5.',
    );
  });

  it.each([
    [
      'a tool_use left unanswered',
      [result('a')],
      /^messages\.1: `tool_use` ids were found without `tool_result` blocks immediately after: b\./,
    ],
    [
      'text before a tool_result',
      [{ type: 'text' as const, text: 'here' }, result('a'), result('b')],
      /^messages\.2\.content\.0: tool_result blocks must come first/,
    ],
    [
      'a tool_result for an id the turn before never used',
      [result('a'), result('b'), result('zz')],
      /^messages\.2\.content\.2: unexpected `tool_use_id` found in `tool_result` blocks: zz\./,
    ],
  ])('refuses %s', async (_name, content, message) => {
    expect(await refusal([{ role: 'user', content: 'go' }, toolTurn, { role: 'user', content }])).toMatch(
      message,
    );
  });

  it('accepts a thinking block passed back unchanged and refuses one whose text was edited', async () => {
    const server = await replay(
      turns(
        [
          { type: 'thinking', thinking: 'Plan: read a.' },
          { type: 'tool_use', id: 't', name: 'read_file', input: {} },
        ],
        [text('done')],
        [text('never')],
      ),
    );
    const client = clientFor(server);
    const first = await client.beta.messages.create({
      model: MODEL,
      max_tokens: 100,
      messages: [{ role: 'user', content: 'go' }],
    });
    expect(first.content[0]).toMatchObject({ type: 'thinking', signature: expect.any(String) });
    const next = (assistant: BetaMessageContentParam) =>
      client.beta.messages.create({
        model: MODEL,
        max_tokens: 100,
        messages: [
          { role: 'user', content: 'go' },
          { role: 'assistant', content: assistant },
          { role: 'user', content: [result('t')] },
        ],
      });
    const edited = first.content.map((b) =>
      b.type === 'thinking' ? { ...b, thinking: 'Plan: read b.' } : b,
    );
    const refused = await next(edited).catch((e: unknown) => e);
    expect((refused as APIError).status).toBe(400);
    expect((refused as APIError).message).toContain(
      'messages.1.content.0: Invalid `signature` in `thinking` block',
    );
    const accepted = await next(first.content);
    expect(accepted.content).toEqual([{ type: 'text', text: 'done' }]);
  });

  it('cuts an answer at max_tokens mid tool call, with the path and the start of the content, and serves the whole turn to a retry with more room', async () => {
    const server = await replay(
      turns([{ type: 'tool_use', id: 'w', name: 'write_file', input: { path: 'a.txt', content: LONG } }]),
    );
    const client = clientFor(server);
    const ask = (max_tokens: number) =>
      client.beta.messages.create({
        model: MODEL,
        max_tokens,
        messages: [{ role: 'user', content: 'write' }],
      });
    const cut = await ask(60);
    expect(cut.stop_reason).toBe('max_tokens');
    expect(cut.usage.output_tokens).toBe(60);
    const input = (cut.content[0] as { input: { path: string; content: string } }).input;
    expect(input.path).toBe('a.txt');
    expect(LONG.startsWith(input.content)).toBe(true);
    expect(input.content.length).toBeLessThan(LONG.length);
    expect(server.remaining()).toEqual(['conversation "strict" turn 0']);
    const whole = await ask(4000);
    expect(whole.stop_reason).toBe('tool_use');
    expect(whole.content[0]).toMatchObject({ input: { path: 'a.txt', content: LONG } });
    expect(server.remaining()).toEqual([]);
  });
});
