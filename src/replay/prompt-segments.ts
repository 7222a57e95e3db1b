import { countTokens } from './count-tokens.ts';
import { type CountTokensRequest, messageBlocks, type RequestBlock } from './messages-request.ts';

/** A cache breakpoint's lifetime, from `cache_control.ttl` (the API's default is 5 minutes). */
export type CacheTtl = '5m' | '1h';

/** One cacheable unit of a prompt, in API order: each tool, each system block, each message block. */
export interface PromptSegment {
  /** Identifies the content exactly (role, type and JSON), so equal prefixes hash equal. */
  key: string;
  tokens: number;
  /** Set when the block carries `cache_control`: the prefix ending here is cacheable. */
  breakpoint?: CacheTtl;
}

/** Splits a request's prompt into segments in the order the API caches them: tools → system → messages. */
export function promptSegments(request: CountTokensRequest): PromptSegment[] {
  const segments: PromptSegment[] = [];
  for (const tool of request.tools ?? []) {
    const { cache_control, ...definition } = tool;
    const json = JSON.stringify(definition);
    segments.push(segment(`tool:${json}`, json, cache_control));
  }
  const { system } = request;
  if (typeof system === 'string')
    segments.push(segment(`system:${JSON.stringify(system)}`, system, undefined));
  for (const block of Array.isArray(system) ? system : []) {
    segments.push(segment(`system:${JSON.stringify(block.text)}`, block.text, block.cache_control));
  }
  for (const message of request.messages) {
    for (const block of messageBlocks(message)) {
      const { cache_control, ...content } = block;
      segments.push(segment(`${message.role}:${JSON.stringify(content)}`, blockText(block), cache_control));
    }
  }
  const last = segments.at(-1);
  // Top-level `cache_control` (automatic caching) puts the breakpoint on the last block.
  if (last !== undefined && request.cache_control) last.breakpoint ??= ttlOf(request.cache_control);
  return segments;
}

function segment(
  key: string,
  text: string,
  cacheControl: { ttl?: string } | null | undefined,
): PromptSegment {
  const tokens = countTokens(text);
  return cacheControl ? { key, tokens, breakpoint: ttlOf(cacheControl) } : { key, tokens };
}

function ttlOf(cacheControl: { ttl?: string }): CacheTtl {
  return cacheControl.ttl === '1h' ? '1h' : '5m';
}

/** The text the model reads for a block: text as is, tool inputs and unknown blocks as JSON. */
function blockText(block: RequestBlock): string {
  switch (block.type) {
    case 'text':
      return String(block.text ?? '');
    case 'thinking':
      return String(block.thinking ?? '');
    case 'tool_use':
      return `${String(block.name)} ${JSON.stringify(block.input ?? {})}`;
    case 'tool_result':
      return toolResultText(block.content);
    default: {
      const { cache_control: _, ...rest } = block;
      return JSON.stringify(rest);
    }
  }
}

function toolResultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: { type?: unknown; text?: unknown }) =>
      part.type === 'text' ? String(part.text) : JSON.stringify(part),
    )
    .join('\n');
}
