import type {
  BetaContentBlock,
  BetaContentBlockParam,
  BetaUsage,
} from '@anthropic-ai/sdk/resources/beta/messages/messages';
import type { Clearing } from './context/clear-policy.ts';

/** One entry of a run's transcript: what was sent and what came back, for the audit trail. */
export type TranscriptEntry =
  | { kind: 'setup'; model: string; system: string; tools: string[] }
  | { kind: 'user'; turn: number; content: string | BetaContentBlockParam[] }
  | {
      kind: 'assistant';
      turn: number;
      content: BetaContentBlock[];
      stopReason: string | null;
      usage: BetaUsage;
      durationMs: number;
    }
  /**
   * Before the call of `turn`, these tool results were replaced by stubs: from this turn on the model saw the
   * stub, not the content recorded in the earlier `user` entry.
   */
  | { kind: 'context-cleared'; turn: number; cleared: Clearing[]; tokensFreed: number }
  | { kind: 'error'; turn: number; message: string };
