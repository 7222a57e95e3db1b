import * as core from '@actions/core';
import { composeAction, composePreflight, composeStep, writeSummary } from './compose.ts';
import { main } from './main.ts';
import { preflight } from './preflight.ts';

/**
 * Reads inputs, runs the step (the preflight before any download, or the phase), sets outputs. A failed phase or
 * a refused dispatch fails the step with the reason, in the log and in the job summary.
 */
export async function run(): Promise<void> {
  try {
    if (composeStep() === 'preflight') {
      const result = await preflight(composePreflight());
      for (const [name, value] of Object.entries(result.outputs)) core.setOutput(name, value);
      core.info(`preflight: ${result.message}`);
      return;
    }
    const params = composeAction();
    const result = await main(params);
    for (const [name, value] of Object.entries(result.outputs)) core.setOutput(name, value);
    if (result.outputs.status === 'failed')
      core.setFailed(`${params.inputs.phase} failed: ${result.message}`);
    else core.info(`${params.inputs.phase} ${result.outputs.status}: ${result.message}`);
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
