import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A workflow shaped like ipo-phase.yml: run-name from inputs, a choice, defaults. */
export const PHASE_WORKFLOW = `name: ipo phase
run-name: "ipo \${{ inputs.session }} \${{ inputs.phase }} #\${{ inputs.attempt }} (issue \${{ inputs.issue-number }})"
on:
  workflow_dispatch:
    inputs:
      session: { required: true, type: string }
      phase: { required: true, type: choice, options: [alignment, implementation, verification, commit] }
      attempt: { required: true, type: string, default: "1" }
      issue-number: { required: true, type: string }
      previous-run-id: { required: false, type: string, default: "" }
      a: { type: string }
      b: { type: string }
      c: { type: string }
      d: { type: string }
      e: { type: string }
      f: { type: string }
jobs:
  phase:
    runs-on: ubuntu-latest
    steps: [{ run: echo hi }]
`;

/** A seed directory holding `.github/workflows/<name>` for each entry of `workflows`. */
export async function workflowSeed(workflows: Readonly<Record<string, string>>): Promise<string> {
  const seed = await mkdtemp(join(tmpdir(), 'local-github-workflows-'));
  await mkdir(join(seed, '.github', 'workflows'), { recursive: true });
  for (const [name, text] of Object.entries(workflows))
    await writeFile(join(seed, '.github', 'workflows', name), text);
  return seed;
}
