import { realpath } from 'node:fs/promises';
import type Anthropic from '@anthropic-ai/sdk';
import type { BetaMessageParam } from '@anthropic-ai/sdk/resources/beta/messages/messages';
import type { z } from 'zod';
import type { CallMetrics } from '../agent/metrics.ts';
import { runAgent } from '../agent/run-agent.ts';
import { submitToolDefinition } from '../agent/submit-tool.ts';
import { createTools, createWorkspace } from '../agent/tools/index.ts';
import { openSandbox, type SandboxHost } from '../sandbox/open-sandbox.ts';
import { usingSandbox } from '../sandbox/sandbox.ts';
import { readBundledSkill } from '../settings/read-bundled-skill.ts';
import { configSchema } from '../state/config.ts';
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
  sandboxHost: SandboxHost;
  phases: BaselinePhase[];
}): Promise<Record<string, CallMetrics[]>> {
  // The same bubblewrap sandbox the isolated phases run commands in (default settings): without one, commands
  // would be refused with a one-line error and the baseline would skip the long test outputs the phases paid for.
  const workspace = await realpath(params.workspace);
  const settings = configSchema.parse({}).sandbox;
  const sandbox = await openSandbox(settings, params.sandboxHost, workspace);
  return usingSandbox(sandbox, async (commandSandbox) => {
    const ws = await createWorkspace(workspace, { commandEnv: params.commandEnv, sandbox: commandSandbox });
    return runPhases(params, createTools(ws, { write: true }));
  });
}

async function runPhases(
  params: { client: Anthropic; model: string; phases: BaselinePhase[] },
  tools: ReturnType<typeof createTools>,
): Promise<Record<string, CallMetrics[]>> {
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
      budgets: {
        maxTurns: 1_000,
        maxInputTokens: 1_000_000_000,
        maxOutputTokens: 1_000_000,
        wallTimeMs: 3_600_000,
      },
      continueFrom: { history, extraTools: submitTools },
    });
    if (!outcome.ok)
      throw new Error(`monolithic baseline: ${phase.phase} failed: ${outcome.failure.message}`);
    calls[phase.phase] = outcome.metrics.calls;
    history = outcome.messages;
  }
  return calls;
}
