import type { ReplayMessage, ServedContentBlock } from './build-message.ts';

/** One server-sent event of a streamed Messages response. */
export interface StreamEvent {
  event: string;
  data: Record<string, unknown>;
}

const TEXT_WORDS_PER_DELTA = 4;
const JSON_CHARS_PER_DELTA = 24;

/**
 * The event sequence the API streams for `message`: message_start, ping, per block content_block_start /
 * deltas / stop, message_delta (stop reason, usage), message_stop. Text and tool input arrive in several
 * deltas so that clients' accumulation code is exercised.
 */
export function messageStreamEvents(message: ReplayMessage): StreamEvent[] {
  const { usage } = message;
  const events: StreamEvent[] = [
    {
      event: 'message_start',
      data: {
        type: 'message_start',
        message: {
          ...message,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          // The API reports the input side up front and the final output count in message_delta.
          usage: { ...usage, output_tokens: Math.min(1, usage.output_tokens) },
        },
      },
    },
    { event: 'ping', data: { type: 'ping' } },
  ];
  message.content.forEach((block, index) => {
    events.push({
      event: 'content_block_start',
      data: { type: 'content_block_start', index, content_block: blockStart(block) },
    });
    const deltas = blockDeltas(block);
    for (const delta of deltas) {
      events.push({ event: 'content_block_delta', data: { type: 'content_block_delta', index, delta } });
    }
    events.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index } });
  });
  events.push(
    {
      event: 'message_delta',
      data: {
        type: 'message_delta',
        delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence },
        usage: {
          input_tokens: usage.input_tokens,
          cache_creation_input_tokens: usage.cache_creation_input_tokens,
          cache_read_input_tokens: usage.cache_read_input_tokens,
          output_tokens: usage.output_tokens,
          output_tokens_details: usage.output_tokens_details,
        },
      },
    },
    { event: 'message_stop', data: { type: 'message_stop' } },
  );
  return events;
}

function blockStart(block: ServedContentBlock): Record<string, unknown> {
  switch (block.type) {
    case 'text':
      return { ...block, text: '' };
    case 'thinking':
      return { type: 'thinking', thinking: '', signature: '' };
    case 'tool_use':
      return { type: 'tool_use', id: block.id, name: block.name, input: {} };
  }
}

/** Text and thinking arrive a few words at a time, the signature last in its own delta, tool input as JSON pieces. */
function blockDeltas(block: ServedContentBlock): Record<string, unknown>[] {
  switch (block.type) {
    case 'text':
      return textChunks(block.text).map((text) => ({ type: 'text_delta', text }));
    case 'thinking':
      return [
        ...textChunks(block.thinking).map((thinking) => ({ type: 'thinking_delta', thinking })),
        { type: 'signature_delta', signature: block.signature },
      ];
    case 'tool_use':
      return ['', ...jsonChunks(JSON.stringify(block.input))].map((json) => ({
        type: 'input_json_delta',
        partial_json: json,
      }));
  }
}

/** Serializes one event in the `text/event-stream` wire format. */
export function formatSse({ event, data }: StreamEvent): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

function textChunks(text: string): string[] {
  const words = text.match(/\s*\S+\s*/g) ?? [text];
  const chunks: string[] = [];
  for (let i = 0; i < words.length; i += TEXT_WORDS_PER_DELTA) {
    chunks.push(words.slice(i, i + TEXT_WORDS_PER_DELTA).join(''));
  }
  return chunks;
}

function jsonChunks(json: string): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < json.length; i += JSON_CHARS_PER_DELTA)
    chunks.push(json.slice(i, i + JSON_CHARS_PER_DELTA));
  return chunks;
}
