import { DEMO_SCRIPT, DEMO_TASK, EXAMPLE_REPO } from '../../cli/commands/demo.ts';
import { loadScript } from '../../replay/load-script.ts';
import type { BenchScenario } from '../isolation-bench.ts';
import { generateScenario, type ScenarioSize } from './generate-scenario.ts';

/** The bundled scenario of `size` on examples/demo-repo: S is the demo script, M and L are generated from it. */
export async function builtInScenario(size: ScenarioSize, seed = 1): Promise<BenchScenario> {
  const generated = generateScenario(size, await loadScript(DEMO_SCRIPT), seed);
  return {
    name: size,
    source: EXAMPLE_REPO,
    task: DEMO_TASK,
    script: generated.script,
    files: generated.files,
    config: generated.config,
  };
}
