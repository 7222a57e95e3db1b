import { createTools, createWorkspace } from '../../agent/tools/index.ts';
import { classifyChanges } from '../../core/scope/classify-changes.ts';
import { computeVerdict } from '../../core/verification/compute-verdict.ts';
import { revParse } from '../../git/repo.ts';
import { usingSandbox } from '../../sandbox/sandbox.ts';
import { type Check, verificationSubmissionSchema } from '../../state/artifacts/verification.ts';
import { openPhaseSandbox } from '../open-phase-sandbox.ts';
import { type PhaseContext, type PhaseOutput, requireInput } from '../phase-context.ts';
import { feedbackSection, runPhaseAgent } from '../run-phase-agent.ts';
import { runSetup } from '../setup/run-setup.ts';
import { setupFailureHead } from '../setup/setup-failure-message.ts';
import { runChecks } from './run-checks.ts';
import { verificationMessage } from './verification-message.ts';

/**
 * Verification: the orchestrator runs the configured checks itself in a clean checkout of the implementation head,
 * then a read-only agent judges each criterion with evidence. The verdict is computed here, not taken from the model.
 */
export async function runVerification(ctx: PhaseContext): Promise<PhaseOutput<'verification'>> {
  const alignment = requireInput(ctx, 'alignment', 'verification');
  const implementation = requireInput(ctx, 'implementation', 'verification');
  const head = await revParse(ctx.workspace, 'HEAD');
  if (head !== implementation.headSha) {
    const message = `the verification checkout is at ${head.slice(0, 7)}, not the implementation head ${implementation.headSha.slice(0, 7)}`;
    return { outcome: 'failed', message, head, transcript: [] };
  }
  const setup = await runSetup(ctx, 'verification');
  if (!setup.ok) {
    // An environment failure, not the change's: no check ran and no model is asked (there is nothing to judge);
    // the artifact records the set-up and each check as not run, so the reader sees what to fix.
    const failed = setup.setup.commands.find((c) => c.kind !== 'passed');
    const why = failed ? setupFailureHead(failed) : 'set-up could not start';
    const checks = ctx.config.verification.commands.map((command) => notRun(command, why));
    const body = { setup: setup.setup, checks, criteria: [], gaps: [], verdict: 'fail' as const };
    return { outcome: 'failed', body, message: setup.message, head, transcript: [] };
  }
  const sandbox = await openPhaseSandbox(ctx, 'verification');
  if (!sandbox.ok) return { outcome: 'failed', message: sandbox.message, head, transcript: [] };
  // The checks are this phase's only commands (its agent runs none): the sandbox closes after them.
  const checks = await usingSandbox(sandbox.sandbox, (commandSandbox) =>
    runChecks({
      commands: ctx.config.verification.commands,
      cwd: ctx.workspace,
      env: setup.env,
      sandbox: commandSandbox,
      timeoutMs: ctx.config.verification.timeoutSeconds * 1000,
      redact: ctx.redact,
    }),
  );
  const ws = await createWorkspace(ctx.workspace, { commandEnv: ctx.commandEnv });
  const run = await runPhaseAgent(ctx, 'verification', {
    tools: createTools(ws, { write: false, commands: false }),
    schema: verificationSubmissionSchema,
    description:
      'Submit one judgement per acceptance criterion (pass/fail/partial/unverified with evidence) and the gaps you found.',
    message:
      verificationMessage(ctx.ledger, alignment, implementation, checks, setup.setup) + feedbackSection(ctx),
  });
  const common = { head, metrics: run.metrics, transcript: run.transcript };
  if (!run.ok) return { outcome: 'failed', message: run.failure.message, ...common };

  // Changes outside the agreed scope are found by code, whatever the model noticed.
  const scope = classifyChanges(implementation.filesChanged, alignment.scope);
  const modelGapPaths = new Set(run.result.gaps.filter((g) => g.kind === 'unrequested').map((g) => g.path));
  const scopeGaps = [...scope.forbidden, ...scope.unrequested]
    .filter((path) => !modelGapPaths.has(path))
    .map((path) => ({
      kind: 'unrequested' as const,
      path,
      detail: scope.forbidden.includes(path)
        ? `${path} is in scope.filesForbidden but was changed`
        : `${path} changed outside the agreed scope`,
    }));
  const gaps = [...run.result.gaps, ...scopeGaps];
  const verdict = computeVerdict({
    criteria: alignment.acceptanceCriteria,
    judged: run.result.criteria,
    checks,
    gaps,
  });
  const body = {
    setup: setup.setup,
    checks,
    criteria: run.result.criteria,
    gaps,
    verdict: verdict.verdict,
  };
  if (verdict.verdict === 'pass') return { outcome: 'succeeded', body, ...common };
  return {
    outcome: 'blocked',
    body,
    message: `verification failed: ${verdict.reasons.join('; ')}`,
    ...common,
  };
}

/** A check that did not run because set-up failed: recorded so the artifact lists every configured command. */
function notRun(command: string, why: string): Check {
  return {
    command,
    exitCode: null,
    durationMs: 0,
    outputTail: `[ipo: not run: ${why}]`,
    kind: 'environment-failure',
  };
}
