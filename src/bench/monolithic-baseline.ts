import type Anthropic from '@anthropic-ai/sdk';
import type { BetaMessageParam } from '@anthropic-ai/sdk/resources/beta/messages/messages';
import type { z } from 'zod';
import type { CallMetrics } from '../agent/metrics.ts';
import { runAgent } from '../agent/run-agent.ts';
import { submitToolDefinition } from '../agent/submit-tool.ts';
import { createTools, createWorkspace } from '../agent/tools/index.ts';
import { readBundledSkill } from '../settings/read-bundled-skill.ts';
import { monolithicSubmitName } from './monolithic-script.ts';

export interface BaselinePhase {
  phase: 'alignment' | 'implementation' | 'verification';
  /** The same first message the isolated phase received. */
  message: string;
  schema: z.ZodType;
}

/**
 * The monolithic baseline: the same phases, prompts and tools in ONE conversation that carries its whole history
 * from phase to phase — what running without isolation costs. Returns each phase's calls.
 */
export async function runMonolithicBaseline(params: {
  client: Anthropic;
  model: string;
  workspace: string;
  commandEnv: Record<string, string>;
  phases: BaselinePhase[];
}): Promise<Record<string, CallMetrics[]>> {
  const ws = await createWorkspace(params.workspace, { commandEnv: params.commandEnv });
  const tools = createTools(ws, { write: true });
  const skills = await Promise.all(params.phases.map((p) => readBundledSkill(p.phase)));
  const system = skills.join('\n\n');
  const submitTools = params.phases.map((p) =>
    submitToolDefinition(p.schema, `Submit the ${p.phase} result.`, monolithicSubmitName(p.phase)),
  );
  let history: BetaMessageParam[] = [];
  const calls: Record<string, CallMetrics[]> = {};
  for (const phase of params.phases) {
    const outcome = await runAgent({
      client: params.client,
      model: params.model,
      system,
      tools,
      result: {
        schema: phase.schema,
        description: `Submit the ${phase.phase} result.`,
        toolName: monolithicSubmitName(phase.phase),
      },
      initialMessage: phase.message,
      // Unbounded in practice: the baseline measures what the scripted work costs, whatever its size.
      budgets: { maxTurns: 1_000, maxInputTokens: 1_000_000_000, maxOutputTokens: 1_000_000, wallTimeMs: 3_600_000 },
      continueFrom: { history, extraTools: submitTools },
    });
    if (!outcome.ok)
      throw new Error(`monolithic baseline: ${phase.phase} failed: ${outcome.failure.message}`);
    calls[phase.phase] = outcome.metrics.calls;
    history = outcome.messages;
  }
  return calls;
}
