import { type MessagesRequest, messageBlocks, type RequestBlock } from './messages-request.ts';
import { verifyThinking } from './thinking-signature.ts';

/**
 * Most `cache_control` breakpoints one request may carry: up to 4, automatic caching (top-level `cache_control`)
 * taking one of them (https://platform.claude.com/docs/en/build-with-claude/prompt-caching, paraphrased).
 */
export const MAX_CACHE_BREAKPOINTS = 4;

/**
 * The first rule of the real Messages API the request breaks, as the API's own message, or undefined. Answered
 * with 400 `invalid_request_error`, like the API, so a request the API would refuse never passes a replay.
 */
export function requestRuleViolation(request: MessagesRequest): string | undefined {
  return cacheBreakpointViolation(request) ?? toolResultViolation(request) ?? thinkingViolation(request);
}

function cacheBreakpointViolation(request: MessagesRequest): string | undefined {
  const system = typeof request.system === 'string' ? [] : (request.system ?? []);
  const found =
    (request.tools ?? []).filter((tool) => tool.cache_control).length +
    system.filter((block) => block.cache_control).length +
    request.messages.flatMap(messageBlocks).filter((block) => block.cache_control).length +
    (request.cache_control ? 1 : 0);
  return found > MAX_CACHE_BREAKPOINTS
    ? `A maximum of ${MAX_CACHE_BREAKPOINTS} blocks with cache_control may be provided. Found ${found}.`
    : undefined;
}

/**
 * Tool results answer the assistant turn right before them: every tool_use of that turn gets a tool_result in
 * the very next (user) message, the results come first in its content, and a result answering no tool_use of
 * that turn is refused (https://platform.claude.com/docs/en/agents-and-tools/tool-use/handle-tool-calls,
 * paraphrased). The texts follow the API's own error messages.
 */
function toolResultViolation(request: MessagesRequest): string | undefined {
  const { messages } = request;
  for (const [index, message] of messages.entries()) {
    const blocks = messageBlocks(message);
    const previous = messages[index - 1];
    const asked = previous?.role === 'assistant' ? toolUseIds(messageBlocks(previous)) : [];
    if (message.role === 'user') {
      const firstOther = blocks.findIndex((block) => block.type !== 'tool_result');
      const lastResult = blocks.findLastIndex((block) => block.type === 'tool_result');
      if (firstOther !== -1 && firstOther < lastResult) {
        return `messages.${index}.content.${firstOther}: tool_result blocks must come first in the user message, before any other content.`;
      }
      const stray = blocks.flatMap((block, j) =>
        block.type === 'tool_result' && !asked.includes(String(block.tool_use_id))
          ? [[j, block.tool_use_id]]
          : [],
      );
      const [strayIndex, strayId] = stray[0] ?? [];
      if (strayIndex !== undefined) {
        return `messages.${index}.content.${strayIndex}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(strayId)}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
      }
    }
    if (message.role !== 'assistant') continue;
    const next = messages[index + 1];
    // A conversation that ends on the assistant's turn (a prefill) has nothing to answer yet.
    if (next === undefined) continue;
    const answered = new Set(
      next.role === 'user'
        ? messageBlocks(next).flatMap((b) => (b.type === 'tool_result' ? [String(b.tool_use_id)] : []))
        : [],
    );
    const missing = toolUseIds(blocks).filter((id) => !answered.has(id));
    if (missing.length > 0) {
      return `messages.${index}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
    }
  }
  return undefined;
}

/**
 * Thinking blocks come back exactly as served, signature included: the signature lets the API check that Claude
 * wrote the block, and a modified block is refused
 * (https://platform.claude.com/docs/en/build-with-claude/extended-thinking, paraphrased).
 */
function thinkingViolation(request: MessagesRequest): string | undefined {
  for (const [index, message] of request.messages.entries()) {
    if (message.role !== 'assistant') continue;
    for (const [j, block] of messageBlocks(message).entries()) {
      if (block.type === 'thinking' && !verifyThinking(String(block.thinking ?? ''), block.signature)) {
        return `messages.${index}.content.${j}: Invalid \`signature\` in \`thinking\` block`;
      }
    }
  }
  return undefined;
}

function toolUseIds(blocks: RequestBlock[]): string[] {
  return blocks.flatMap((block) => (block.type === 'tool_use' ? [String(block.id)] : []));
}
