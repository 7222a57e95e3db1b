import { z } from 'zod';

// Loose on purpose: the replay server checks only what it reads, and passes everything else through,
// so new API fields sent by a newer SDK do not break replays.
const CacheControlSchema = z.looseObject({ type: z.string(), ttl: z.string().optional() });

const BlockSchema = z.looseObject({ type: z.string(), cache_control: CacheControlSchema.nullish() });
export type RequestBlock = z.infer<typeof BlockSchema>;

const MessageParamSchema = z.looseObject({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(BlockSchema)]),
});
export type RequestMessage = z.infer<typeof MessageParamSchema>;

const SystemBlockSchema = z.looseObject({
  type: z.literal('text'),
  text: z.string(),
  cache_control: CacheControlSchema.nullish(),
});

const ToolSchema = z.looseObject({ name: z.string(), cache_control: CacheControlSchema.nullish() });
export type RequestTool = z.infer<typeof ToolSchema>;

const CountTokensRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(MessageParamSchema),
  system: z.union([z.string(), z.array(SystemBlockSchema)]).optional(),
  tools: z.array(ToolSchema).optional(),
  /** Automatic caching: a breakpoint on the last cacheable block. */
  cache_control: CacheControlSchema.nullish(),
});
export type CountTokensRequest = z.infer<typeof CountTokensRequestSchema>;

const MessagesRequestSchema = CountTokensRequestSchema.extend({
  max_tokens: z.number().int().positive(),
  stream: z.boolean().optional(),
});
export type MessagesRequest = z.infer<typeof MessagesRequestSchema>;

export type ParseResult<T> = { ok: true; request: T } | { ok: false; message: string };

/** Validates a `POST /v1/messages` body, with an API-style message naming the first bad field. */
export function parseMessagesRequest(body: unknown): ParseResult<MessagesRequest> {
  return toResult(MessagesRequestSchema.safeParse(body));
}

/** Validates a `POST /v1/messages/count_tokens` body (like a messages body without `max_tokens`). */
export function parseCountTokensRequest(body: unknown): ParseResult<CountTokensRequest> {
  return toResult(CountTokensRequestSchema.safeParse(body));
}

function toResult<T>(result: z.ZodSafeParseResult<T>): ParseResult<T> {
  if (result.success) return { ok: true, request: result.data };
  const issue = result.error.issues[0];
  const path = issue?.path.join('.') ?? '';
  return { ok: false, message: `${path ? `${path}: ` : ''}${issue?.message ?? 'invalid request'}` };
}

/** The system prompt as one string (text blocks joined by newlines). */
export function systemText(request: CountTokensRequest): string {
  const { system } = request;
  if (system === undefined) return '';
  return typeof system === 'string' ? system : system.map((block) => block.text).join('\n');
}

/** Names of the tools offered in the request. */
export function toolNames(request: CountTokensRequest): string[] {
  return (request.tools ?? []).map((tool) => tool.name);
}

/** The request's content blocks in order; a string content counts as one text block. */
export function messageBlocks(message: RequestMessage): RequestBlock[] {
  return typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
}
