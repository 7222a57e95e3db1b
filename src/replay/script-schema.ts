import { z } from 'zod';

/**
 * HTTP statuses a scripted fault can answer with; each maps to the error type the real API uses
 * (https://docs.claude.com/en/api/errors). The 4xx ones are answered as the API answers a bad key, an unknown model or
 * an oversized request, so a test can check what ipo tells the person.
 */
export const FAULT_STATUSES = [400, 401, 403, 404, 413, 429, 500, 503, 529] as const;
export type FaultStatus = (typeof FAULT_STATUSES)[number];

/** Stop reasons the Messages API can return (mirrors the SDK's `StopReason`). */
export const STOP_REASONS = [
  'end_turn',
  'max_tokens',
  'stop_sequence',
  'tool_use',
  'pause_turn',
  'refusal',
  'model_context_window_exceeded',
] as const;
export type StopReason = (typeof STOP_REASONS)[number];

const StatusFaultSchema = z.strictObject({
  status: z.literal(FAULT_STATUSES),
  /** Sent as `retry-after` (seconds) and `retry-after-ms`; the SDK ignores 0 and falls back to its own backoff. */
  retryAfterSeconds: z.number().nonnegative().optional(),
  message: z.string().optional(),
});

const DelayFaultSchema = z.strictObject({ delayMs: z.number().int().nonnegative() });

/** Destroys the socket without an answer, which the SDK sees as a connection error. */
const ResetFaultSchema = z.strictObject({ reset: z.literal(true) });

export const FaultSchema = z.union([StatusFaultSchema, DelayFaultSchema, ResetFaultSchema], {
  error:
    'a fault is { status: 400|401|403|404|413|429|500|503|529, retryAfterSeconds?, message? }, { delayMs: number } or { reset: true }',
});
export type Fault = z.infer<typeof FaultSchema>;
export type StatusFault = z.infer<typeof StatusFaultSchema>;

export const ScriptedContentBlockSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), text: z.string() }),
  z.strictObject({
    type: z.literal('tool_use'),
    id: z.string().min(1),
    name: z.string().min(1),
    input: z.record(z.string(), z.unknown()),
  }),
  /** Served with a `signature` the server checks when the block comes back in a later request. */
  z.strictObject({ type: z.literal('thinking'), thinking: z.string() }),
]);
export type ScriptedContentBlock = z.infer<typeof ScriptedContentBlockSchema>;

export const ScriptedResponseSchema = z.strictObject({
  content: z.array(ScriptedContentBlockSchema),
  /**
   * Defaults to `tool_use` when the content holds a tool_use block, else `end_turn`. Content longer than the
   * request's `max_tokens` is cut there and answered with `max_tokens` whatever this says, as the API does.
   */
  stop_reason: z.enum(STOP_REASONS).optional(),
});
export type ScriptedResponse = z.infer<typeof ScriptedResponseSchema>;

export const TurnExpectationSchema = z.strictObject({
  /** The last tool_result in the request answers the tool_use with this id or this tool name. */
  lastToolResultFor: z.string().optional(),
  lastToolResultIsError: z.boolean().optional(),
  /** Substrings of the request body's JSON text (`JSON.stringify(body)`, so quotes and newlines are escaped). */
  contains: z.array(z.string()).optional(),
  notContains: z.array(z.string()).optional(),
});
export type TurnExpectation = z.infer<typeof TurnExpectationSchema>;

export const ScriptTurnSchema = z.strictObject({
  expect: TurnExpectationSchema.optional(),
  /** Consumed one per request, in order, before the response is served; retries land on the same turn. */
  faults: z.array(FaultSchema).optional(),
  response: ScriptedResponseSchema,
});
export type ScriptTurn = z.infer<typeof ScriptTurnSchema>;

export const ConversationWhenSchema = z.strictObject({
  systemIncludes: z.string().optional(),
  /** Every listed tool must be offered in the request's `tools`. */
  toolNames: z.array(z.string()).optional(),
});
export type ConversationWhen = z.infer<typeof ConversationWhenSchema>;

export const ConversationSchema = z.strictObject({
  name: z.string().min(1),
  when: ConversationWhenSchema.optional(),
  /** Turn N (0-based) answers a request that carries N assistant messages. */
  turns: z.array(ScriptTurnSchema).min(1),
});
export type Conversation = z.infer<typeof ConversationSchema>;

/** A replay script: the model responses of one or more agent runs, in the order they happen. */
export const ReplayScriptSchema = z
  .strictObject({
    version: z.literal(1),
    /** The model the script was written for; informational (responses echo the request's model). */
    model: z.string().optional(),
    conversations: z.array(ConversationSchema).min(1),
  })
  .meta({
    id: 'replay-script',
    title: 'ipo replay script',
    description:
      "The model responses `ipo replay serve` (and ipo's tests, demo and benchmarks) answer the Messages API with; see docs/replay-scripts.md.",
  });
export type ReplayScript = z.infer<typeof ReplayScriptSchema>;
