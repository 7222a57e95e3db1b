import { countTokens } from './count-tokens.ts';
import type { InputUsage } from './prompt-cache.ts';
import type { ScriptedContentBlock, ScriptedResponse, StopReason } from './script-schema.ts';
import { signThinking } from './thinking-signature.ts';

/** The API's `usage` object as the replay server reports it. */
export interface ReplayUsage extends InputUsage {
  output_tokens: number;
  /** Thinking is billed as output and counts against `max_tokens`; the API reports its share here. */
  output_tokens_details: { thinking_tokens: number };
  service_tier: 'standard';
}

/** A content block as served: thinking blocks carry the signature the API attaches. */
export type ServedContentBlock =
  | Exclude<ScriptedContentBlock, { type: 'thinking' }>
  | { type: 'thinking'; thinking: string; signature: string };

/** A Messages API response body (`type: "message"`). */
export interface ReplayMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: ServedContentBlock[];
  stop_reason: StopReason;
  stop_sequence: null;
  usage: ReplayUsage;
}

/**
 * Builds the response message for a scripted turn, echoing the request's model. Content that does not fit
 * `maxTokens` is cut where the limit falls, with `stop_reason: "max_tokens"` ("The response reached your
 * max_tokens limit"; a tool_use cut there is incomplete), as the API does
 * (https://platform.claude.com/docs/en/build-with-claude/handling-stop-reasons).
 */
export function buildMessage(
  id: string,
  model: string,
  response: ScriptedResponse,
  input: InputUsage,
  maxTokens = Number.POSITIVE_INFINITY,
): ReplayMessage & { truncated: boolean } {
  const { content, truncated } = fitToLimit(response.content, maxTokens);
  const hasToolUse = content.some((block) => block.type === 'tool_use');
  const stopReason = truncated
    ? 'max_tokens'
    : (response.stop_reason ?? (hasToolUse ? 'tool_use' : 'end_turn'));
  const thinking = content.reduce((sum, b) => sum + (b.type === 'thinking' ? blockTokens(b) : 0), 0);
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content: content.map((block) =>
      block.type === 'thinking' ? { ...block, signature: signThinking(block.thinking) } : block,
    ),
    stop_reason: stopReason,
    stop_sequence: null,
    usage: {
      ...input,
      // Cut off means the model generated right up to the limit.
      output_tokens: truncated ? maxTokens : outputTokens(content),
      output_tokens_details: { thinking_tokens: thinking },
      service_tier: 'standard',
    },
    truncated,
  };
}

/** Tokens of what the model "wrote": thinking, text, and each tool call's name and JSON input. */
export function outputTokens(content: readonly ScriptedContentBlock[]): number {
  return content.reduce((sum, block) => sum + blockTokens(block), 0);
}

function blockTokens(block: ScriptedContentBlock): number {
  switch (block.type) {
    case 'text':
      return countTokens(block.text);
    case 'thinking':
      return countTokens(block.thinking);
    case 'tool_use':
      return countTokens(`${block.name} ${JSON.stringify(block.input)}`);
  }
}

/** The blocks that fit in `limit` tokens, the one where the limit falls cut short. */
function fitToLimit(
  content: readonly ScriptedContentBlock[],
  limit: number,
): { content: ScriptedContentBlock[]; truncated: boolean } {
  const kept: ScriptedContentBlock[] = [];
  let left = limit;
  for (const block of content) {
    const tokens = blockTokens(block);
    if (tokens <= left) {
      kept.push(block);
      left -= tokens;
      continue;
    }
    const cut = cutBlock(block, left);
    if (cut !== undefined) kept.push(cut);
    return { content: kept, truncated: true };
  }
  return { content: kept, truncated: false };
}

function cutBlock(block: ScriptedContentBlock, left: number): ScriptedContentBlock | undefined {
  switch (block.type) {
    case 'text': {
      const text = longestPrefix(block.text, left);
      return text === '' ? undefined : { ...block, text };
    }
    case 'thinking':
      return { ...block, thinking: longestPrefix(block.thinking, left) };
    case 'tool_use':
      return { ...block, input: partialInput(block.input, left - countTokens(`${block.name} `)) };
  }
}

/**
 * The fields the model had written when the limit fell: whole fields in order, then the one being written cut
 * short (a string) or left out. Half a `write_file` looks like this: the path, and the start of the content.
 */
function partialInput(input: Record<string, unknown>, budget: number): Record<string, unknown> {
  const partial: Record<string, unknown> = {};
  let left = budget;
  for (const [key, value] of Object.entries(input)) {
    const tokens = countTokens(`"${key}":${JSON.stringify(value)},`);
    if (tokens <= left) {
      partial[key] = value;
      left -= tokens;
      continue;
    }
    if (typeof value === 'string') {
      const start = longestPrefix(value, left - countTokens(`"${key}":"`));
      if (start !== '') partial[key] = start;
    }
    break;
  }
  return partial;
}

/** The longest prefix of `text` that is at most `tokens` tokens long (binary search over its length). */
function longestPrefix(text: string, tokens: number): string {
  if (tokens <= 0) return '';
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (countTokens(text.slice(0, mid)) <= tokens) low = mid;
    else high = mid - 1;
  }
  return text.slice(0, low);
}
