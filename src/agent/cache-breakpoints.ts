import type {
  BetaMessageParam,
  BetaTextBlockParam,
  BetaToolUnion,
} from '@anthropic-ai/sdk/resources/beta/messages/messages';

const EPHEMERAL = { type: 'ephemeral' } as const;

/**
 * Prompt caching: a breakpoint on the last tool definition and on the system prompt (stable for the whole run),
 * and a moving one on the newest message, so turn n reads everything turn n-1 sent from the cache.
 */
export function cachedTools(tools: BetaToolUnion[]): BetaToolUnion[] {
  return tools.map((tool, i) => (i === tools.length - 1 ? { ...tool, cache_control: EPHEMERAL } : tool));
}

export function cachedSystem(system: string): BetaTextBlockParam[] {
  return [{ type: 'text', text: system, cache_control: EPHEMERAL }];
}

/** A copy of `messages` with a cache breakpoint on the last block of the last message (history is not mutated). */
export function withMessageBreakpoint(messages: BetaMessageParam[]): BetaMessageParam[] {
  const last = messages.at(-1);
  if (!last || last.role === 'system' || !Array.isArray(last.content) || last.content.length === 0)
    return messages;
  const blocks = [...last.content];
  const tail = blocks.at(-1);
  if (!tail || tail.type === 'thinking' || tail.type === 'redacted_thinking') return messages;
  blocks[blocks.length - 1] = { ...tail, cache_control: EPHEMERAL } as typeof tail;
  return [...messages.slice(0, -1), { ...last, content: blocks }];
}
