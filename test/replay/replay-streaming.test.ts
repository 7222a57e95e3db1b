import { betaZodTool } from '@anthropic-ai/sdk/helpers/beta/zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { clientFor, MODEL, useReplayServer } from './replay-fixtures.ts';

const start = useReplayServer();

const readFile = betaZodTool({
  name: 'read_file',
  description: 'Read a file',
  inputSchema: z.object({ path: z.string(), lines: z.array(z.number()).optional() }),
  run: ({ path }) => `contents of ${path}`,
});

const PLAN = 'I will read the spec first, then compare each requirement with the task text.';
const script = {
  version: 1,
  conversations: [
    {
      name: 'alignment',
      turns: [
        {
          response: {
            content: [
              { type: 'text', text: PLAN },
              {
                type: 'tool_use',
                id: 'toolu_1',
                name: 'read_file',
                input: { path: 'docs/SPEC.md', lines: [1, 200] },
              },
            ],
          },
        },
        { response: { content: [{ type: 'text', text: 'Aligned.' }] } },
      ],
    },
  ],
};

describe('streaming with stream: true', () => {
  it('streams the scripted text and tool_use through client.messages.stream()', async () => {
    const server = await start(script);
    const stream = clientFor(server).messages.stream({
      model: MODEL,
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'Check task 2.4' }],
    });
    const deltas: string[] = [];
    stream.on('text', (delta) => deltas.push(delta));
    const eventTypes: string[] = [];
    for await (const event of stream) eventTypes.push(event.type);
    const final = await stream.finalMessage();

    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(PLAN);
    expect(final.content).toMatchObject([
      { type: 'text', text: PLAN },
      {
        type: 'tool_use',
        id: 'toolu_1',
        name: 'read_file',
        input: { path: 'docs/SPEC.md', lines: [1, 200] },
      },
    ]);
    expect(final.stop_reason).toBe('tool_use');
    expect(final.usage.output_tokens).toBeGreaterThan(10);
    expect(final.usage.input_tokens).toBeGreaterThan(0);
    expect(eventTypes[0]).toBe('message_start');
    expect(eventTypes.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(eventTypes.filter((type) => type === 'content_block_start')).toHaveLength(2);
    expect(server.requests[0]?.body).toMatchObject({ stream: true });
  });

  it('streams every turn of a streaming tool runner over a message thread', async () => {
    const server = await start(script);
    const runner = clientFor(server).beta.messages.toolRunner({
      model: MODEL,
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'Check task 2.4' }],
      tools: [readFile],
      stream: true,
    });

    const texts: string[] = [];
    for await (const stream of runner) {
      const message = await stream.finalMessage();
      texts.push(message.content.map((block) => (block.type === 'text' ? block.text : block.type)).join('|'));
    }

    expect(texts).toEqual([`${PLAN}|tool_use`, 'Aligned.']);
    expect(server.requests.map((request) => [request.thread, request.status])).toEqual([
      ['create', 200],
      ['continue', 200],
    ]);
    expect(server.remaining()).toEqual([]);
  });
});
