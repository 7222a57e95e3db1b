import * as core from '@actions/core';
import { composeAction } from './compose.ts';
import { main } from './main.ts';

/** Reads inputs, runs one phase, sets outputs; a failed phase or a refused state fails the step with the reason. */
export async function run(): Promise<void> {
  try {
    const params = composeAction();
    const result = await main(params);
    for (const [name, value] of Object.entries(result.outputs)) core.setOutput(name, value);
    if (result.outputs.status === 'failed')
      core.setFailed(`${params.inputs.phase} failed: ${result.message}`);
    else core.info(`${params.inputs.phase} ${result.outputs.status}: ${result.message}`);
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}
