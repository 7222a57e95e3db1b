import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { ask, clientFor, lookupTool, MODEL, useReplayServer } from './replay-fixtures.ts';

const start = useReplayServer();

const text = (value: string) => ({ content: [{ type: 'text', text: value }] });

describe('matching requests to scripted conversations', () => {
  it('answers a failed expectation with a 400 naming the conversation, turn and difference', async () => {
    const server = await start({
      version: 1,
      conversations: [
        {
          name: 'alignment',
          turns: [{ expect: { contains: ['AC-1'], notContains: ['secret'] }, response: text('ok') }],
        },
      ],
    });

    const error = await clientFor(server, 2)
      .messages.create(ask('the secret plan'))
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(error).toMatchObject({
      status: 400,
      type: 'invalid_request_error',
      apiMessage:
        'replay: conversation "alignment" turn 0: expected the request to contain "AC-1"; ' +
        'expected the request not to contain "secret"',
    });
    // A mismatch is final: the SDK must not retry it into the next fault or turn.
    expect(server.requests).toHaveLength(1);
    expect(server.remaining()).toEqual(['conversation "alignment" turn 0']);
  });

  it('picks each conversation by its system prompt and tools, whatever the order of the runs', async () => {
    const server = await start({
      version: 1,
      conversations: [
        { name: 'alignment', when: { systemIncludes: 'alignment' }, turns: [{ response: text('aligned') }] },
        {
          name: 'implementation',
          when: { systemIncludes: 'implementation', toolNames: ['write_file'] },
          turns: [{ response: text('implemented') }],
        },
      ],
    });
    const client = clientFor(server);
    const writeFile: Anthropic.Tool = {
      name: 'write_file',
      description: 'Write a file',
      input_schema: { type: 'object', properties: { path: { type: 'string' } } },
    };

    const implemented = await client.messages.create({
      ...ask('go', 'You run the implementation phase.'),
      tools: [writeFile],
    });
    const aligned = await client.messages.create(ask('go', 'You run the alignment phase.'));

    expect(implemented.content).toEqual([{ type: 'text', text: 'implemented' }]);
    expect(aligned.content).toEqual([{ type: 'text', text: 'aligned' }]);
    expect(server.requests.map((request) => request.match?.conversation)).toEqual([
      'implementation',
      'alignment',
    ]);
  });

  it('moves on to the next matching conversation once the first is finished', async () => {
    const server = await start({
      version: 1,
      conversations: [
        { name: 'attempt 1', turns: [{ response: text('first') }] },
        { name: 'attempt 2', turns: [{ response: text('second') }] },
      ],
    });
    const client = clientFor(server);

    const first = await client.messages.create(ask('go'));
    const second = await client.messages.create(ask('go'));
    const third = await client.messages.create(ask('go')).catch((caught: unknown) => caught);

    expect([first.content, second.content]).toEqual([
      [{ type: 'text', text: 'first' }],
      [{ type: 'text', text: 'second' }],
    ]);
    expect(third).toMatchObject({
      status: 400,
      apiMessage: expect.stringContaining('"attempt 1" is finished; "attempt 2" is finished'),
    });
  });

  it('checks the tool result of a threaded tool-runner turn against the whole thread', async () => {
    const server = await start({
      version: 1,
      conversations: [
        {
          name: 'alignment',
          turns: [
            {
              response: { content: [{ type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { q: 'x' } }] },
            },
            // "task 2.4" is only in the first message, which a thread continuation does not send again.
            {
              expect: { lastToolResultFor: 'lookup', contains: ['task 2.4', 'found x'] },
              response: text('done'),
            },
          ],
        },
      ],
    });

    const final = await clientFor(server)
      .beta.messages.toolRunner({
        model: MODEL,
        max_tokens: 1024,
        messages: [{ role: 'user', content: 'Check task 2.4' }],
        tools: [lookupTool],
      })
      .runUntilDone();

    expect(final.content).toEqual([{ type: 'text', text: 'done' }]);
    expect(server.requests.map((request) => request.thread)).toEqual(['create', 'continue']);
    expect(JSON.stringify(server.requests[1]?.body)).not.toContain('task 2.4');
  });

  it('answers a continue of an unknown thread with 404 thread_not_found', async () => {
    const server = await start({
      version: 1,
      conversations: [{ name: 'c', turns: [{ response: text('x') }] }],
    });

    const error = await clientFor(server)
      .beta.messages.create({
        ...ask('go'),
        thread: { type: 'continue', previous_message_id: 'msg_unknown' },
      })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    expect(error).toMatchObject({ status: 404, errorCode: 'thread_not_found' });
  });

  it('accepts the beta=true query the older SDKs add to beta calls', async () => {
    const server = await start({
      version: 1,
      conversations: [{ name: 'c', turns: [{ response: text('x') }] }],
    });

    const response = await fetch(`${server.url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify(ask('go')),
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ type: 'message', content: [{ type: 'text', text: 'x' }] });
  });
});
