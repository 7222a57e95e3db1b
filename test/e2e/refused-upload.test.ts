import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCRIPT } from '../../src/cli/commands/demo.ts';
import { loadScript } from '../../src/replay/load-script.ts';
import type { Conversation, ReplayScript } from '../../src/replay/script-schema.ts';
import { type E2E, startE2E } from './e2e-harness.ts';

const exec = promisify(execFile);
const START = "I'm going to start implementation of phase 1.3";
const outcomes = (e: E2E) => e.runner.records.map((r) => `${r.phase}#${r.attempt}:${r.conclusion}`);

/**
 * The demo's implementation, where the model also writes `path` in the turn that writes src/median.js (first in the
 * turn, so the next turn still answers the demo's own write). The job commits whatever the workspace holds.
 */
function implementationAlsoWriting(demo: Conversation, path: string, content: string): Conversation {
  const copy = structuredClone(demo);
  copy.name = `implementation writing ${path}`;
  copy.turns[1]?.response.content.unshift({
    type: 'tool_use',
    id: 'toolu_im_extra',
    name: 'write_file',
    input: { path, content },
  });
  return copy;
}

/**
 * Attempt 1 edits the spec (`docs/**` is in the demo alignment's scope.filesForbidden), attempt 2 adds a workflow,
 * attempt 3 is the demo's clean implementation. The replay serves the next matching conversation once one is done.
 */
async function scriptWithRefusedAttempts(): Promise<ReplayScript> {
  const script = await loadScript(DEMO_SCRIPT);
  const at = script.conversations.findIndex((c) => c.name === 'implementation');
  const demo = script.conversations[at];
  if (!demo) throw new Error('the demo script has no implementation conversation');
  script.conversations.splice(
    at,
    0,
    implementationAlsoWriting(demo, 'docs/SPEC.md', '# The spec, as the model would like it\n'),
    implementationAlsoWriting(demo, '.github/workflows/steal.yml', 'on: push\njobs: {}\n'),
  );
  return script;
}

describe('Given a model whose implementation touches what the write job must refuse', () => {
  let e: E2E;
  let base: string;
  const branchHead = async () => {
    const marker = await e.marker();
    const { stdout } = await exec('git', [
      '--git-dir',
      e.github.gitDir(),
      'rev-parse',
      `ipo/${marker?.session}`,
    ]);
    return stdout.trim();
  };
  beforeAll(async () => {
    e = await startE2E(await scriptWithRefusedAttempts());
    await e.comment('maintainer', START);
    base = await branchHead();
  }, 120_000);
  afterAll(async () => {
    await e?.close();
  });

  it('When implementation edits a path the alignment forbids, Then the write job refuses it, records a failed run, and nothing is pushed', async () => {
    await e.comment('maintainer', 'proceed to implementation');
    expect(outcomes(e)).toEqual(['alignment#1:success', 'implementation#1:failure']);
    const marker = await e.marker();
    expect(marker?.state).toMatchObject({ kind: 'failed', phase: 'implementation', attempt: 1 });
    const error = marker?.state.kind === 'failed' ? marker.state.error : '';
    expect(error).toContain(
      "the write job refused the agent job's output: the commits change docs/SPEC.md, which the approved alignment forbids (scope.filesForbidden: test/**, docs/**, src/index.js)",
    );
    expect(error).toContain('nothing was pushed — say `retry implementation`');
    expect(await branchHead()).toBe(base);
    expect(e.github.state.pulls).toHaveLength(0);
    expect(e.comments().at(-1)?.body).toContain('`retry implementation`');
  }, 120_000);

  it('When `retry implementation` adds a workflow file, Then that is refused the same way', async () => {
    await e.comment('maintainer', 'retry implementation');
    expect(outcomes(e).at(-1)).toBe('implementation#2:failure');
    const marker = await e.marker();
    expect(marker?.state).toMatchObject({ kind: 'failed', phase: 'implementation', attempt: 2 });
    expect(marker?.state.kind === 'failed' ? marker.state.error : '').toContain(
      'the commits change .github/workflows/steal.yml: changes under .github/workflows/ are refused',
    );
    expect(await branchHead()).toBe(base);
  }, 120_000);

  it('When `retry implementation` is said again and the model stays in scope, Then attempt 3 is pushed and verification’s gate opens', async () => {
    await e.comment('maintainer', 'retry implementation');
    expect(outcomes(e).at(-1)).toBe('implementation#3:success');
    const marker = await e.marker();
    expect(marker?.state).toMatchObject({ kind: 'awaiting', gate: 'verification' });
    const head = await branchHead();
    expect(head).not.toBe(base);
    const { stdout } = await exec('git', ['--git-dir', e.github.gitDir(), 'diff', '--name-only', base, head]);
    expect(stdout.trim().split('\n')).toEqual(['src/median.js']);
    expect(e.github.state.pulls).toHaveLength(1);
  }, 120_000);
});
