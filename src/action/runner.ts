import * as core from '@actions/core';
import { composeAction, composePreflight, composeStep, composeWrite, writeSummary } from './compose.ts';
import { main } from './main.ts';
import { preflight } from './preflight.ts';
import { writeStep } from './write-step.ts';

/**
 * Reads inputs, runs the step (the preflight before any download, or the phase), sets outputs. A failed phase or
 * a refused dispatch fails the step with the reason, in the log and in the job summary.
 */
export async function run(): Promise<void> {
  try {
    const step = composeStep();
    if (step === 'preflight') {
      const result = await preflight(composePreflight());
      for (const [name, value] of Object.entries(result.outputs)) core.setOutput(name, value);
      core.info(`preflight: ${result.message}`);
      return;
    }
    const { phase, result } =
      step === 'write'
        ? await Promise.resolve(composeWrite()).then(async (p) => ({
            phase: p.inputs.phase,
            result: await writeStep(p),
          }))
        : await Promise.resolve(composeAction()).then(async (p) => ({
            phase: p.inputs.phase,
            result: await main(p),
          }));
    for (const [name, value] of Object.entries(result.outputs)) core.setOutput(name, value);
    // The agent step's result is not yet the phase's: the write job records it, and fails the run when it failed.
    if (step === 'write' && result.outputs.status === 'failed')
      core.setFailed(`${phase} failed: ${result.message}`);
    else
      core.info(
        `${phase} ${step === 'write' ? '' : '(agent step) '}${result.outputs.status}: ${result.message}`,
      );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    core.setFailed(message);
    await writeSummary(`### ipo refused this run\n\n${quote(message)}\n`).catch(() => undefined);
  }
}

/** The reason as a blockquote of plain text: it can hold comment text, which must not render as markup. */
function quote(text: string): string {
  const escaped = text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] ?? c);
  return escaped
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}
