import { countTokens } from './count-tokens.ts';
import type { InputUsage } from './prompt-cache.ts';
import type { ScriptedContentBlock, ScriptedResponse, StopReason } from './script-schema.ts';

/** The API's `usage` object as the replay server reports it. */
export interface ReplayUsage extends InputUsage {
  output_tokens: number;
  service_tier: 'standard';
}

/** A Messages API response body (`type: "message"`). */
export interface ReplayMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: ScriptedContentBlock[];
  stop_reason: StopReason;
  stop_sequence: null;
  usage: ReplayUsage;
}

/** Builds the response message for a scripted turn, echoing the request's model. */
export function buildMessage(
  id: string,
  model: string,
  response: ScriptedResponse,
  input: InputUsage,
): ReplayMessage {
  const hasToolUse = response.content.some((block) => block.type === 'tool_use');
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content: response.content,
    stop_reason: response.stop_reason ?? (hasToolUse ? 'tool_use' : 'end_turn'),
    stop_sequence: null,
    usage: { ...input, output_tokens: outputTokens(response.content), service_tier: 'standard' },
  };
}

/** Tokens of what the model "wrote": text, and each tool call's name and JSON input. */
export function outputTokens(content: readonly ScriptedContentBlock[]): number {
  return content.reduce(
    (sum, block) =>
      sum + countTokens(block.type === 'text' ? block.text : `${block.name} ${JSON.stringify(block.input)}`),
    0,
  );
}
