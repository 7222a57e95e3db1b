import type Anthropic from '@anthropic-ai/sdk';
import { countTokens } from '@anthropic-ai/tokenizer';
import { describe, expect, it } from 'vitest';
import { ask, clientFor, lookupTool, MODEL, useReplayServer } from './replay-fixtures.ts';

const start = useReplayServer();

const text = (value: string) => ({ content: [{ type: 'text', text: value }] });
const SYSTEM = `You run the alignment phase. ${'Check every requirement against the spec. '.repeat(40)}`;
const cachedSystem: Anthropic.TextBlockParam[] = [
  { type: 'text', text: SYSTEM, cache_control: { type: 'ephemeral' } },
];

describe('usage computed from the request received', () => {
  it('counts input tokens of the prompt sent and output tokens of the scripted answer', async () => {
    const answer = 'The task is aligned with the spec.';
    const server = await start({
      version: 1,
      conversations: [
        { name: 'small', turns: [{ response: text(answer) }] },
        { name: 'large', turns: [{ response: text(answer) }] },
      ],
    });
    const client = clientFor(server);
    const smallPrompt = 'Check task 2.4.';
    const largePrompt = `Check task 2.4. ${'Here is more context for the task. '.repeat(50)}`;

    const small = await client.messages.create(ask(smallPrompt));
    const large = await client.messages.create(ask(largePrompt));

    expect(small.usage.input_tokens).toBe(countTokens(smallPrompt));
    expect(large.usage.input_tokens).toBe(countTokens(largePrompt));
    expect(large.usage.input_tokens).toBeGreaterThan(small.usage.input_tokens + 300);
    expect(small.usage.output_tokens).toBe(countTokens(answer));
  });

  it('writes the cached system prompt on the first turn and reads it on the second', async () => {
    const server = await start({
      version: 1,
      conversations: [{ name: 'alignment', turns: [{ response: text('one') }, { response: text('two') }] }],
    });
    const client = clientFor(server);
    const first = await client.messages.create({ ...ask('first question'), system: cachedSystem });
    const second = await client.messages.create({
      model: MODEL,
      max_tokens: 1024,
      system: cachedSystem,
      messages: [
        { role: 'user', content: 'first question' },
        { role: 'assistant', content: 'one' },
        { role: 'user', content: 'second question' },
      ],
    });

    const systemTokens = countTokens(SYSTEM);
    expect(first.usage).toMatchObject({
      cache_creation_input_tokens: systemTokens,
      cache_read_input_tokens: 0,
      input_tokens: countTokens('first question'),
    });
    expect(second.usage).toMatchObject({
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: systemTokens,
      input_tokens: countTokens('first question') + countTokens('one') + countTokens('second question'),
    });
  });

  it('runs a tool runner with a cached system prompt unthreaded, reading the cache from the second turn', async () => {
    const server = await start({
      version: 1,
      conversations: [
        {
          name: 'alignment',
          turns: [
            {
              response: { content: [{ type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { q: 'x' } }] },
            },
            { response: text('done') },
          ],
        },
      ],
    });
    const runner = clientFor(server).beta.messages.toolRunner({
      model: MODEL,
      max_tokens: 1024,
      system: cachedSystem,
      messages: [{ role: 'user', content: 'Check task 2.4' }],
      tools: [lookupTool],
    });

    const usages: Anthropic.Beta.BetaUsage[] = [];
    for await (const message of runner) usages.push(message.usage);

    // Threads do not take cache_control: the API refuses the thread and the SDK re-sends the turn without one.
    expect(server.requests.map((request) => [request.status, request.thread])).toEqual([
      [400, 'create'],
      [200, undefined],
      [200, undefined],
    ]);
    expect(server.requests[0]?.body).toMatchObject({ thread: { type: 'create' } });
    const [first, second] = usages;
    // The cached prefix runs tools → system, so it holds the tool definition as well as the system prompt.
    expect(first?.cache_creation_input_tokens).toBeGreaterThan(countTokens(SYSTEM));
    expect(first?.cache_read_input_tokens).toBe(0);
    expect(second?.cache_read_input_tokens).toBe(first?.cache_creation_input_tokens);
    expect(second?.cache_creation_input_tokens).toBe(0);
  });

  it('answers count_tokens with the prompt size and leaves the script untouched', async () => {
    const server = await start({
      version: 1,
      conversations: [{ name: 'c', turns: [{ response: text('x') }] }],
    });

    const counted = await clientFor(server).messages.countTokens({
      model: MODEL,
      system: SYSTEM,
      messages: [{ role: 'user', content: 'Check task 2.4.' }],
    });

    expect(counted.input_tokens).toBe(countTokens(SYSTEM) + countTokens('Check task 2.4.'));
    expect(server.remaining()).toEqual(['conversation "c" turn 0']);
  });
});
