import type {
  BetaContentBlockParam,
  BetaMessageParam,
  BetaToolResultBlockParam,
  BetaToolUseBlockParam,
} from '@anthropic-ai/sdk/resources/beta/messages/messages';
import { formatTokens } from '../../report/format.ts';

/** How old tool results are cleared inside one agent run (`phases.<phase>.context` in the config). */
export interface ClearPolicy {
  /** The most recent tool results that always stay whole. */
  keepRecent: number;
  /** Clearing starts only when the uncleared tool results come to more than this many tokens... */
  triggerTokens: number;
  /** ...and then goes on, oldest first, until they come to at most this many. */
  targetTokens: number;
}

/** One tool result replaced by a stub: what the transcript records and the stub names. */
export interface Clearing {
  toolUseId: string;
  tool: string;
  /** The input field that says what the call was about (a path, a command, a pattern); '' when none. */
  subject: string;
  /** Estimated tokens of the content that was replaced. */
  tokens: number;
}

/** The tool input field a model sets to keep a result whole (see `KEEP_FIELD_DESCRIPTION`). */
export const KEEP_FIELD = 'keep';
export const KEEP_FIELD_DESCRIPTION =
  'Set true to keep this result in the conversation for the rest of the task. Older results are otherwise ' +
  'replaced by a short note saying how to get them again; keep only what you will need to see again.';

/**
 * Rough token estimate of text: 4 characters a token. The agent must not load a tokenizer (the Action bundle),
 * and the policy only needs sizes that move with the text; the replay server counts with a real tokenizer.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** The text a cleared result is replaced by: what it was and how to get it back. */
export function clearedStub(c: Clearing): string {
  const what = c.subject === '' ? c.tool : `${c.tool} ${c.subject}`;
  return `[cleared: ${what}, ${formatTokens(c.tokens)} tokens — call ${c.tool} again if you need it]`;
}

/**
 * The tool results to clear now, oldest first; empty when the uncleared ones are under the trigger, or when what
 * could be cleared would free less than `triggerTokens - targetTokens`. Batching (trigger high, target low)
 * means the cached prompt prefix changes once per batch, not on every turn.
 *
 * Never chosen: results already cleared, results in the newest message (the turn the model has not seen yet),
 * the `keepRecent` most recent results, results whose call set `keep: true`, results of `protectedTools`
 * (the submission tool: the model's reason for a rejected submission), and error results (short, and the
 * reason for what the model does next).
 */
export function chooseClearings(
  messages: readonly BetaMessageParam[],
  policy: ClearPolicy,
  options: { cleared: ReadonlySet<string>; protectedTools: ReadonlySet<string> },
): Clearing[] {
  const uses = toolUsesById(messages);
  const results = toolResults(messages.slice(0, -1)).filter((r) => !options.cleared.has(r.tool_use_id));
  const newest = toolResults(messages.slice(-1)).filter((r) => !options.cleared.has(r.tool_use_id));
  const sized = results.map((r) => ({ result: r, tokens: estimateTokens(resultText(r)) }));
  let total = [...sized, ...newest.map((r) => ({ tokens: estimateTokens(resultText(r)) }))].reduce(
    (sum, r) => sum + r.tokens,
    0,
  );
  if (total <= policy.triggerTokens) return [];
  // The newest message's results count towards the recent ones kept whole.
  const clearable = sized.slice(
    0,
    Math.max(0, sized.length - Math.max(0, policy.keepRecent - newest.length)),
  );
  const chosen: Clearing[] = [];
  for (const { result, tokens } of clearable) {
    if (total <= policy.targetTokens) break;
    const use = uses.get(result.tool_use_id);
    if (!use || result.is_error === true || options.protectedTools.has(use.name) || markedKeep(use)) continue;
    // A stub is not worth it for a result no larger than the stub itself.
    const subject = subjectOf(use.input);
    const clearing = { toolUseId: result.tool_use_id, tool: use.name, subject, tokens };
    const saved = tokens - estimateTokens(clearedStub(clearing));
    if (saved <= 0) continue;
    chosen.push(clearing);
    total -= tokens;
  }
  // Like the API's `clear_at_least`: a batch smaller than the trigger–target gap waits for more, or results kept
  // whole (recent, marked) above the target would make every turn clear a little and rewrite the cache each time.
  const freed = chosen.reduce((sum, c) => sum + c.tokens, 0);
  return freed >= policy.triggerTokens - policy.targetTokens ? chosen : [];
}

/** A copy of `messages` with the chosen results' content replaced by their stubs; everything else is shared. */
export function applyClearings(
  messages: readonly BetaMessageParam[],
  clearings: readonly Clearing[],
): BetaMessageParam[] {
  if (clearings.length === 0) return [...messages];
  const byId = new Map(clearings.map((c) => [c.toolUseId, c]));
  return messages.map((message) => {
    if (message.role !== 'user' || !Array.isArray(message.content)) return message;
    if (!message.content.some((b) => b.type === 'tool_result' && byId.has(b.tool_use_id))) return message;
    const content = message.content.map((block): BetaContentBlockParam => {
      const clearing = block.type === 'tool_result' ? byId.get(block.tool_use_id) : undefined;
      if (!clearing || block.type !== 'tool_result') return block;
      // The tool_result stays (every tool_use needs one); only its content becomes the stub.
      const { content: _old, ...rest } = block;
      return { ...rest, content: clearedStub(clearing) };
    });
    return { ...message, content };
  });
}

function toolUsesById(messages: readonly BetaMessageParam[]): Map<string, BetaToolUseBlockParam> {
  const uses = new Map<string, BetaToolUseBlockParam>();
  for (const message of messages) {
    if (message.role !== 'assistant' || !Array.isArray(message.content)) continue;
    for (const block of message.content) if (block.type === 'tool_use') uses.set(block.id, block);
  }
  return uses;
}

function toolResults(messages: readonly BetaMessageParam[]): BetaToolResultBlockParam[] {
  return messages.flatMap((m) =>
    m.role === 'user' && Array.isArray(m.content)
      ? m.content.filter((b): b is BetaToolResultBlockParam => b.type === 'tool_result')
      : [],
  );
}

function resultText(result: BetaToolResultBlockParam): string {
  const content = result.content;
  if (content === undefined) return '';
  if (typeof content === 'string') return content;
  return content.map((b) => (b.type === 'text' ? b.text : JSON.stringify(b))).join('\n');
}

function markedKeep(use: BetaToolUseBlockParam): boolean {
  return isRecord(use.input) && use.input[KEEP_FIELD] === true;
}

/** The field that names what a call was about, in the order the workspace tools use them. */
const SUBJECT_FIELDS = ['path', 'command', 'pattern', 'glob'] as const;

function subjectOf(input: unknown): string {
  if (!isRecord(input)) return '';
  let subject = '';
  for (const field of SUBJECT_FIELDS) {
    const value = input[field];
    if (typeof value === 'string' && value !== '') {
      subject = value;
      break;
    }
  }
  if (subject === '' && Array.isArray(input.argv)) subject = input.argv.join(' ');
  if (subject === '') return '';
  const lines =
    typeof input.startLine === 'number' || typeof input.endLine === 'number'
      ? ` lines ${input.startLine ?? 1}-${input.endLine ?? 'end'}`
      : '';
  const oneLine = subject.replace(/\s+/g, ' ');
  return `${oneLine.length > 80 ? `${oneLine.slice(0, 80)}…` : oneLine}${lines}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
