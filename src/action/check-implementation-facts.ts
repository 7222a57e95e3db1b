import { commitRefs, filesChanged } from '../git/commits.ts';
import type { FileChange, ImplementationBody } from '../state/artifacts/implementation.ts';
import { AgentOutputRefusal } from './agent-output-refusal.ts';

/**
 * The implementation artifact's git facts (`baseSha`, `headSha`, `commits`, `filesChanged`) are what verification
 * judges the change by, and its scope check reads `filesChanged`: the agent job, where the model's commands ran,
 * could have rewritten them to hide a change. The write job recomputes them with ipo's own git from the imported
 * commits and refuses an artifact that says anything else. `base` is the phase's base from the trusted ledger.
 */
export async function checkImplementationFacts(
  cwd: string,
  body: ImplementationBody,
  expected: { base: string; head: string },
): Promise<void> {
  const { base, head } = expected;
  if (body.baseSha !== base || body.headSha !== head) {
    throw new AgentOutputRefusal(
      `implementation.json says ${body.baseSha.slice(0, 7)}..${body.headSha.slice(0, 7)}, but the phase ran from ${base.slice(0, 7)} to ${head.slice(0, 7)}`,
    );
  }
  const [commits, files] = await Promise.all([commitRefs(cwd, base, head), filesChanged(cwd, base, head)]);
  if (JSON.stringify(body.commits) !== JSON.stringify(commits)) {
    throw new AgentOutputRefusal(
      `implementation.json lists commits ${shortList(body.commits.map((c) => c.sha))}, but ${base.slice(0, 7)}..${head.slice(0, 7)} holds ${shortList(commits.map((c) => c.sha))} (or their subjects differ)`,
    );
  }
  const differences = fileDifferences(body.filesChanged, files);
  if (differences.length > 0) {
    throw new AgentOutputRefusal(
      `implementation.json's filesChanged is not what the commits change: ${differences.join('; ')}`,
    );
  }
}

/** Per path, in git's order: what the artifact leaves out, adds, or states otherwise than git. */
function fileDifferences(claimed: readonly FileChange[], actual: readonly FileChange[]): string[] {
  const key = (f: FileChange) => JSON.stringify([f.path, f.previousPath, f.status, f.additions, f.deletions]);
  const claimedByPath = new Map(claimed.map((f) => [f.path, f]));
  const actualPaths = new Set(actual.map((f) => f.path));
  const differences: string[] = [];
  for (const file of actual) {
    const said = claimedByPath.get(file.path);
    if (!said) differences.push(`it leaves out ${describe(file)}`);
    else if (key(said) !== key(file))
      differences.push(`it says ${describe(said)}, git says ${describe(file)}`);
  }
  for (const file of claimed) {
    if (!actualPaths.has(file.path)) differences.push(`it lists ${describe(file)}, which no commit changes`);
  }
  if (differences.length === 0 && claimed.length !== actual.length) {
    differences.push(`it lists ${claimed.length} files, git ${actual.length}`);
  }
  return differences;
}

function describe(f: FileChange): string {
  const from = f.previousPath ? ` from ${f.previousPath}` : '';
  return `${f.path} (${f.status}${from}, +${f.additions} -${f.deletions})`;
}

function shortList(shas: readonly string[]): string {
  return shas.length === 0 ? 'none' : shas.map((sha) => sha.slice(0, 7)).join(', ');
}
