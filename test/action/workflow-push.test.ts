import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCRIPT } from '../../src/cli/commands/demo.ts';
import { formatSessionId } from '../../src/core/session/session-id.ts';
import { loadScript } from '../../src/replay/load-script.ts';
import type { ReplayScript } from '../../src/replay/script-schema.ts';
import {
  type ActionHarness,
  type ActionRun,
  createSessionBranch,
  OWNER,
  REPO,
  startActionHarness,
  TOKEN,
} from './action-harness.ts';

const exec = promisify(execFile);
const SESSION = formatSessionId('1.3', new Date());
const WORKFLOW_FILE = '.github/workflows/lint.yml';

/** The demo script, with the implementation also writing a workflow file (first in its first turn). */
async function scriptWritingAWorkflow(): Promise<ReplayScript> {
  const script = await loadScript(DEMO_SCRIPT);
  const implementation = script.conversations.find((c) => c.name === 'implementation');
  const first = implementation?.turns[0]?.response;
  if (!first || !('content' in first) || !Array.isArray(first.content)) {
    throw new Error('the demo script changed: no implementation turn to extend');
  }
  first.content.splice(1, 0, {
    type: 'tool_use',
    id: 'toolu_im_wf',
    name: 'write_file',
    input: { path: WORKFLOW_FILE, content: 'on: push\njobs: {}\n' },
  });
  return script;
}

/** main's `.github/ipo.yml` with `allowWorkflowChanges: true`, pushed with the job's token (not a workflow file). */
async function allowWorkflowChanges(h: ActionHarness): Promise<void> {
  const dir = join(h.root, 'config-clone');
  await exec('git', ['clone', '--quiet', h.github.gitUrl(), dir]);
  const file = join(dir, '.github/ipo.yml');
  await writeFile(file, `${await readFile(file, 'utf8')}allowWorkflowChanges: true\n`);
  const header = `http.extraHeader=Authorization: Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`;
  const id = ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid'];
  await exec('git', [...id, 'commit', '--quiet', '-am', 'allow workflow changes'], { cwd: dir });
  await exec('git', ['-c', header, 'push', '--quiet', 'origin', 'HEAD:refs/heads/main'], { cwd: dir });
}

describe.each([
  {
    name: 'with the default workflows-write (the job GITHUB_TOKEN)',
    inputs: {} as Record<string, string>,
    pushes: false,
    error:
      /the write job refused the agent job's output: the commits change \.github\/workflows\/lint\.yml, which this token cannot push:/,
  },
  {
    name: 'with workflows-write: true on a token GitHub refuses anyway',
    inputs: { 'workflows-write': 'true' },
    pushes: true,
    error:
      /publishing the result failed: GitHub refused the push although workflows-write is true: the commits change \.github\/workflows\/lint\.yml, which this token cannot push:/,
  },
])(
  'an implementation that changes a workflow file, allowed by the config, $name',
  ({ inputs, pushes, error }) => {
    let h: ActionHarness;
    let base: string;
    let run: ActionRun;
    let pushRequests = 0;

    beforeAll(async () => {
      h = await startActionHarness(await scriptWritingAWorkflow());
      await allowWorkflowChanges(h);
      base = await createSessionBranch(h, SESSION);
      const alignment = await h.runPhase({
        phase: 'alignment',
        session: SESSION,
        approvedSha: base,
        commentId: h.comment('maintainer', "I'm going to start implementation of phase 1.3"),
      });
      const before = h.github.requests.length;
      run = await h.runPhase({
        phase: 'implementation',
        session: SESSION,
        approvedSha: base,
        stateFrom: alignment.outDir,
        commentId: h.comment('maintainer', 'proceed to implementation'),
        extraInputs: inputs,
      });
      pushRequests = h.github.requests
        .slice(before)
        .filter((r) => r.kind === 'git' && r.path.endsWith('/git-receive-pack')).length;
    }, 120_000);
    afterAll(async () => {
      await h?.close();
    });

    it('fails the phase naming the workflow file and what to do, and leaves the session branch where it was', async () => {
      expect(run.outputs.status).toBe('failed');
      const status = h.github.state.comments.filter((c) => c.user === 'ipo-app[bot]').at(-1)?.body ?? '';
      // The visible reason, line by line: the files, why, and the two ways on.
      expect(status).toMatch(error);
      expect(status).toContain(
        'a GitHub App token with "Workflows: write" as github-token and set workflows-write: true,',
      );
      expect(status).toContain('or leave the workflow change out');
      const branch = await h.github.state.repo(OWNER, REPO)?.git.ref(`refs/heads/ipo/${SESSION}`);
      expect(branch?.sha).toBe(base);
      expect(pushRequests > 0).toBe(pushes);
    });
  },
);
