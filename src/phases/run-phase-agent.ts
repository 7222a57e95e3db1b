import type { z } from 'zod';
import type { AgentFailure } from '../agent/agent-types.ts';
import type { AgentMetrics } from '../agent/metrics.ts';
import { runAgent } from '../agent/run-agent.ts';
import { sanitizeUntrusted } from '../agent/sanitize-untrusted.ts';
import type { WorkspaceTool } from '../agent/tools/index.ts';
import type { TranscriptEntry } from '../agent/transcript.ts';
import type { Phase } from '../core/phases.ts';
import type { PhaseContext } from './phase-context.ts';

export type PhaseAgentResult<R> =
  | { ok: true; result: R; metrics: AgentMetrics; transcript: TranscriptEntry[] }
  | { ok: false; failure: AgentFailure; metrics: AgentMetrics; transcript: TranscriptEntry[] };

/** Runs the phase's agent with the model and budgets the config gives that phase. */
export function runPhaseAgent<R>(
  ctx: PhaseContext,
  phase: Phase,
  params: { tools: WorkspaceTool[]; schema: z.ZodType<R>; description: string; message: string },
): Promise<PhaseAgentResult<R>> {
  const budgets = ctx.config.phases[phase];
  const model = budgets.model ?? ctx.config.defaultModel;
  return runAgent({
    client: ctx.model.client,
    model,
    system: ctx.skill,
    tools: params.tools,
    result: { schema: params.schema, description: params.description },
    initialMessage: params.message,
    budgets: {
      maxTurns: budgets.maxTurns,
      maxInputTokens: budgets.maxInputTokens,
      maxOutputTokens: budgets.maxOutputTokens,
      wallTimeMs: budgets.wallTimeSeconds * 1000,
    },
    maxTokensPerCall: budgets.maxTokensPerCall,
    thinking: {
      ...(budgets.thinking ? { mode: budgets.thinking } : {}),
      ...(budgets.effort ? { effort: budgets.effort } : {}),
    },
    ...(budgets.context.strategy === 'clear-tool-results'
      ? {
          context: {
            keepRecent: budgets.context.keepRecent,
            triggerTokens: budgets.context.triggerTokens,
            targetTokens: budgets.context.targetTokens,
          },
        }
      : {}),
    configKey: `phases.${phase}`,
    modelField: budgets.model ? `phases.${phase}.model` : 'defaultModel',
    redact: ctx.redact,
    ...(ctx.model.onEvent ? { onEvent: ctx.model.onEvent } : {}),
    ...(ctx.model.overloadRetry ? { overloadRetry: ctx.model.overloadRetry } : {}),
  });
}

/** The feedback a person gave with the retry or approval that started this run, or nothing. */
export function feedbackSection(ctx: PhaseContext): string {
  if (!ctx.feedback) return '';
  return `\n## Feedback from the person who started this run\n${sanitizeUntrusted(ctx.feedback).trim()}\n`;
}
