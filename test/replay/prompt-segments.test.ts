import { countTokens } from '@anthropic-ai/tokenizer';
import { describe, expect, it } from 'vitest';
import { parseMessagesRequest } from '../../src/replay/messages-request.ts';
import { promptSegments } from '../../src/replay/prompt-segments.ts';

function segmentsOf(body: unknown) {
  const parsed = parseMessagesRequest(body);
  if (!parsed.ok) throw new Error(parsed.message);
  return promptSegments(parsed.request);
}

const base = { model: 'm', max_tokens: 10 };

describe('promptSegments', () => {
  it('orders tools, then system blocks, then message blocks, and marks cache_control breakpoints', () => {
    const segments = segmentsOf({
      ...base,
      tools: [{ name: 'read_file', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral' } }],
      system: [{ type: 'text', text: 'You align.', cache_control: { type: 'ephemeral', ttl: '1h' } }],
      messages: [
        { role: 'user', content: 'Check it.' },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 't1', name: 'read_file', input: { path: 'a' } }],
        },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 't1',
              content: 'file text',
              cache_control: { type: 'ephemeral' },
            },
          ],
        },
      ],
    });

    expect(segments.map((segment) => [segment.key.split(':')[0], segment.breakpoint])).toEqual([
      ['tool', '5m'],
      ['system', '1h'],
      ['user', undefined],
      ['assistant', undefined],
      ['user', '5m'],
    ]);
    expect(segments.map((segment) => segment.tokens)).toEqual([
      countTokens(JSON.stringify({ name: 'read_file', input_schema: { type: 'object' } })),
      countTokens('You align.'),
      countTokens('Check it.'),
      countTokens('read_file {"path":"a"}'),
      countTokens('file text'),
    ]);
  });

  it.each([
    ['a text block', [{ type: 'text', text: 'hello there' }], 'hello there'],
    [
      'a tool result with text blocks',
      [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'text', text: 'ok' }] }],
      'ok',
    ],
    [
      'a thinking block',
      [{ type: 'thinking', thinking: 'hmm, let me see', signature: 's' }],
      'hmm, let me see',
    ],
  ])('counts %s by the text the model reads', (_name, content, text) => {
    const [segment] = segmentsOf({ ...base, messages: [{ role: 'user', content }] });
    expect(segment?.tokens).toBe(countTokens(text));
  });

  it('gives the same content in different roles different keys, so their prefixes never collide', () => {
    const user = segmentsOf({ ...base, messages: [{ role: 'user', content: 'same' }] });
    const assistant = segmentsOf({ ...base, messages: [{ role: 'assistant', content: 'same' }] });
    expect(user[0]?.key).not.toBe(assistant[0]?.key);
  });

  it('puts the breakpoint of top-level cache_control on the last block', () => {
    const segments = segmentsOf({
      ...base,
      cache_control: { type: 'ephemeral' },
      messages: [
        { role: 'user', content: 'one' },
        { role: 'assistant', content: 'two' },
      ],
    });
    expect(segments.map((segment) => segment.breakpoint)).toEqual([undefined, '5m']);
  });
});
