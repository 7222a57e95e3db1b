import { createTools, createWorkspace } from '../../agent/tools/index.ts';
import { blobSha, revParse } from '../../git/repo.ts';
import { alignmentSubmissionSchema } from '../../state/artifacts/alignment.ts';
import type { PhaseContext, PhaseOutput } from '../phase-context.ts';
import { feedbackSection, runPhaseAgent } from '../run-phase-agent.ts';
import { alignmentMessage } from './alignment-message.ts';

/**
 * Alignment: a read-only agent compares the task with the spec and submits the contract for implementation.
 * `misaligned` / `needs_clarification` block the session so a person decides.
 */
export async function runAlignment(ctx: PhaseContext): Promise<PhaseOutput<'alignment'>> {
  const head = await revParse(ctx.workspace, 'HEAD');
  const specPath = ctx.config.spec;
  const specBlob = await blobSha(ctx.workspace, 'HEAD', specPath);
  if (!specBlob) {
    const message = `the spec file ${specPath} (config \`spec\`) does not exist at ${head.slice(0, 7)}`;
    return { outcome: 'failed', message, head, transcript: [] };
  }
  const ws = await createWorkspace(ctx.workspace, { commandEnv: ctx.commandEnv });
  const run = await runPhaseAgent(ctx, 'alignment', {
    tools: createTools(ws, { write: false, commands: false }),
    schema: alignmentSubmissionSchema,
    description:
      'Submit the alignment result: verdict, requirements, acceptance criteria, tasks, scope, decisions, risks, questions. Call once, at the end.',
    message: alignmentMessage(ctx.ledger, specPath, specBlob) + feedbackSection(ctx),
  });
  if (!run.ok)
    return {
      outcome: 'failed',
      message: run.failure.message,
      head,
      metrics: run.metrics,
      transcript: run.transcript,
    };
  const body = { ...run.result, specRef: { path: specPath, blobSha: specBlob } };
  const common = { body, head, metrics: run.metrics, transcript: run.transcript };
  if (body.verdict === 'aligned') return { outcome: 'succeeded', ...common };
  const questions = body.questions.length > 0 ? ` Questions: ${body.questions.join(' | ')}` : '';
  return { outcome: 'blocked', message: `alignment verdict is ${body.verdict}.${questions}`, ...common };
}
