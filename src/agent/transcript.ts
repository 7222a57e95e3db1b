import type {
  BetaContentBlock,
  BetaContentBlockParam,
  BetaUsage,
} from '@anthropic-ai/sdk/resources/beta/messages/messages';

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
  | { kind: 'error'; turn: number; message: string };
