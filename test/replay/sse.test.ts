import { describe, expect, it } from 'vitest';
import { buildMessage } from '../../src/replay/build-message.ts';
import { formatSse, messageStreamEvents } from '../../src/replay/sse.ts';

const input = {
  input_tokens: 12,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 30,
  cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
};

describe('messageStreamEvents', () => {
  const text = 'One two three four five six seven eight nine.';
  const message = buildMessage(
    'msg_1',
    'model',
    {
      content: [
        { type: 'text', text },
        {
          type: 'tool_use',
          id: 'toolu_1',
          name: 'read_file',
          input: { path: 'a/very/long/path/to/SPEC.md' },
        },
      ],
    },
    input,
  );
  const events = messageStreamEvents(message);
  const deltas = events.flatMap((event) =>
    event.event === 'content_block_delta' ? [event.data.delta as Record<string, string>] : [],
  );

  it('emits the API event sequence', () => {
    expect(events.map((event) => event.event)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      ...deltas.filter((delta) => delta.type === 'text_delta').map(() => 'content_block_delta'),
      'content_block_stop',
      'content_block_start',
      ...deltas.filter((delta) => delta.type === 'input_json_delta').map(() => 'content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });

  it('splits text and tool input into deltas that join back to the scripted content', () => {
    const textDeltas = deltas.filter((delta) => delta.type === 'text_delta').map((delta) => delta.text);
    const jsonDeltas = deltas
      .filter((delta) => delta.type === 'input_json_delta')
      .map((delta) => delta.partial_json);
    expect(textDeltas.length).toBeGreaterThan(1);
    expect(textDeltas.join('')).toBe(text);
    expect(jsonDeltas.length).toBeGreaterThan(2);
    expect(JSON.parse(jsonDeltas.join(''))).toEqual({ path: 'a/very/long/path/to/SPEC.md' });
  });

  it('starts with the input usage and an empty, unfinished message, and ends with the stop reason', () => {
    expect(events[0]?.data).toMatchObject({
      message: {
        id: 'msg_1',
        content: [],
        stop_reason: null,
        usage: { input_tokens: 12, cache_read_input_tokens: 30 },
      },
    });
    expect(events.at(-2)?.data).toMatchObject({
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { output_tokens: message.usage.output_tokens },
    });
  });

  it('formats an event in the text/event-stream wire format', () => {
    expect(formatSse({ event: 'message_stop', data: { type: 'message_stop' } })).toBe(
      'event: message_stop\ndata: {"type":"message_stop"}\n\n',
    );
  });
});
