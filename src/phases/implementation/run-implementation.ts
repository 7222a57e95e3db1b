import { createTools, createWorkspace, type WorkspaceTool } from '../../agent/tools/index.ts';
import { commitAll, commitRefs, filesChanged } from '../../git/commits.ts';
import { revParse } from '../../git/repo.ts';
import { usingSandbox } from '../../sandbox/sandbox.ts';
import { implementationSubmissionSchema } from '../../state/artifacts/implementation.ts';
import { COMMAND_TIMEOUT_MS } from '../limits.ts';
import { openPhaseSandbox } from '../open-phase-sandbox.ts';
import { type PhaseContext, type PhaseOutput, requireInput } from '../phase-context.ts';
import { feedbackSection, runPhaseAgent } from '../run-phase-agent.ts';
import { runSetup } from '../setup/run-setup.ts';
import { implementationMessage } from './implementation-message.ts';
import { type CommandLog, logCommands } from './log-commands.ts';

/**
 * Implementation: an agent with file and command tools changes the session branch's checkout; when it submits,
 * the orchestrator (never the model) commits the change and records the git facts.
 */
export async function runImplementation(ctx: PhaseContext): Promise<PhaseOutput<'implementation'>> {
  const alignment = requireInput(ctx, 'alignment', 'implementation');
  const base = await revParse(ctx.workspace, 'HEAD');
  // Before the agent: its run_command runs the tests too, and they need the dependencies.
  const setup = await runSetup(ctx, 'implementation');
  if (!setup.ok) return { outcome: 'failed', message: setup.message, head: base, transcript: [] };
  const sandbox = await openPhaseSandbox(ctx, 'implementation');
  if (!sandbox.ok) return { outcome: 'failed', message: sandbox.message, head: base, transcript: [] };
  const commands: CommandLog[] = [];
  const run = await usingSandbox(sandbox.sandbox, async (commandSandbox) => {
    const ws = await createWorkspace(ctx.workspace, {
      commandEnv: setup.env,
      sandbox: commandSandbox,
      commandTimeoutMs: COMMAND_TIMEOUT_MS,
    });
    const tools: WorkspaceTool[] = logCommands(createTools(ws, { write: true }), commands);
    return runPhaseAgent(ctx, 'implementation', {
      tools,
      schema: implementationSubmissionSchema,
      description:
        'Submit when the change is complete and the tests pass: a summary for the reviewer and one note per acceptance criterion.',
      message: implementationMessage(ctx.ledger, alignment) + feedbackSection(ctx),
    });
  });
  const common = { metrics: run.metrics, transcript: run.transcript };
  if (!run.ok) return { outcome: 'failed', message: run.failure.message, head: base, ...common };

  const subject = `ipo: implement task ${ctx.ledger.taskId} (${ctx.ledger.session}, attempt ${ctx.attempt})`;
  // What set-up installed (node_modules/, .venv/) is never committed, whether or not the repository ignores it.
  const head = await commitAll(
    ctx.workspace,
    `${subject}\n\n${run.result.summary}\n`,
    ctx.identity,
    setup.setup.untracked,
  );
  if (!head) {
    const message = 'the implementation agent submitted without changing any file';
    return { outcome: 'failed', message, head: base, ...common };
  }
  // The phase's base is the commit it started from on its first attempt (a retry builds on earlier commits).
  const phaseBase = ctx.ledger.bases.implementation ?? base;
  const body = {
    baseSha: phaseBase,
    headSha: head,
    commits: await commitRefs(ctx.workspace, phaseBase, head),
    filesChanged: await filesChanged(ctx.workspace, phaseBase, head),
    summary: run.result.summary,
    ...(run.result.commitSubject ? { commitSubject: run.result.commitSubject } : {}),
    criteriaNotes: run.result.criteriaNotes,
    setup: setup.setup,
    commands,
  };
  return { outcome: 'succeeded', body, head, ...common };
}
