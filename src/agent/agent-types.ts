import type Anthropic from '@anthropic-ai/sdk';
import type { BetaRunnableTool } from '@anthropic-ai/sdk/lib/tools/BetaRunnableTool';
import type { BetaMessageParam, BetaToolUnion } from '@anthropic-ai/sdk/resources/beta/messages/messages';
import type { z } from 'zod';
import type { EFFORTS } from '../state/config.ts';
import type { ClearPolicy } from './context/clear-policy.ts';
import type { AgentMetrics } from './metrics.ts';
import type { OverloadRetryPolicy } from './overload-retry.ts';
import type { TranscriptEntry } from './transcript.ts';

/** Hard limits of one agent run; exceeding any one fails the phase with the figures. */
export interface AgentBudgets {
  maxTurns: number;
  /** Total input processed over all calls (fresh + cache writes + cache reads). */
  maxInputTokens: number;
  /** Total output over all calls; each call's `max_tokens` is capped by what is left. */
  maxOutputTokens: number;
  wallTimeMs: number;
}

export type BudgetName = 'turns' | 'input-tokens' | 'output-tokens' | 'wall-time';

export type AgentFailure =
  | { kind: 'budget'; budget: BudgetName; limit: number; used: number; message: string }
  | { kind: 'invalid-result'; errors: string[]; message: string }
  | { kind: 'refusal'; message: string }
  | { kind: 'no-result'; message: string }
  /** An answer cut off at `max_tokens` that could not be given more room. */
  | { kind: 'truncated'; maxTokens: number; message: string }
  | { kind: 'api'; status: number | null; message: string };

interface AgentRecord {
  metrics: AgentMetrics;
  transcript: TranscriptEntry[];
  /** The whole conversation, ending with the model's last message. */
  messages: BetaMessageParam[];
}

export type AgentOutcome<R> =
  | ({ ok: true; result: R } & AgentRecord)
  | ({ ok: false; failure: AgentFailure } & AgentRecord);

/** Progress a front end can show (turn, tool being run, tokens so far). */
export type AgentEvent =
  | { type: 'turn'; turn: number }
  | { type: 'response'; turn: number; inputTokens: number; outputTokens: number; stopReason: string | null }
  | { type: 'tool'; turn: number; name: string; isError: boolean }
  /** The API is overloaded past the SDK's retries; the call goes again after `waitMs`. */
  | { type: 'retry'; turn: number; status: number; attempt: number; waitMs: number }
  /** The answer was cut off at `max_tokens`; the same request goes again with `nextMaxTokens`. */
  | { type: 'truncated'; turn: number; maxTokens: number; nextMaxTokens: number }
  /** Before the call of `turn`, `results` old tool results were replaced by stubs, freeing about `tokens`. */
  | { type: 'context-cleared'; turn: number; results: number; tokens: number };

export type Effort = (typeof EFFORTS)[number];

/** How the model thinks; an absent field is not sent, so the model's default applies. */
export interface ThinkingSettings {
  /** `adaptive`: the model decides how much to think; `disabled`: no thinking blocks. */
  mode?: 'adaptive' | 'disabled';
  effort?: Effort;
}

export interface RunAgentParams<R> {
  client: Anthropic;
  model: string;
  /** The phase skill. */
  system: string;
  tools: BetaRunnableTool[];
  /** Schema of the structured result the model submits through the final `submit_result` call. */
  result: { schema: z.ZodType<R>; description: string; maxInvalid?: number; toolName?: string };
  /**
   * Go on from an earlier conversation instead of starting fresh. Only the monolithic baseline of the isolation
   * benchmark does this; phases never do.
   */
  continueFrom?: { history: BetaMessageParam[]; extraTools: BetaToolUnion[] };
  initialMessage: string;
  budgets: AgentBudgets;
  /** Largest `max_tokens` of one call (thinking counts against it); raised when an answer is cut off. */
  maxTokensPerCall?: number;
  thinking?: ThinkingSettings;
  /** Old tool results are replaced by stubs under this policy; absent, the conversation is never edited. */
  context?: ClearPolicy;
  /** Longer retries of 529 overloaded after the SDK's own; absent, only the SDK retries. */
  overloadRetry?: OverloadRetryPolicy;
  /** For tests: the wait between overload retries, and the jitter source. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Where the budgets come from, named in failures that say what to raise (`phases.implementation`). */
  configKey?: string;
  /** The config field the model id came from (`phases.<phase>.model` or `defaultModel`), named when the API does not know it. */
  modelField?: string;
  /** Applied to everything that enters the transcript. */
  redact?: (text: string) => string;
  onEvent?: (event: AgentEvent) => void;
  now?: () => number;
}
