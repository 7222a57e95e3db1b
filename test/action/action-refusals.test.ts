import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCRIPT } from '../../src/cli/commands/demo.ts';
import { runName } from '../../src/core/dispatch/run-name.ts';
import { formatSessionId } from '../../src/core/session/session-id.ts';
import { loadScript } from '../../src/replay/load-script.ts';
import type { Ledger } from '../../src/state/ledger.ts';
import { commitFiles } from '../support/github/commit-files.ts';
import {
  type ActionHarness,
  type ActionRun,
  createSessionBranch,
  EXAMPLE,
  startActionHarness,
} from './action-harness.ts';

const SESSION = formatSessionId('1.3', new Date());
const PROCEED = 'proceed to implementation';

/**
 * Anyone with write access can dispatch the phase workflow by hand, with any inputs. Each case is such a
 * dispatch of implementation attempt 1 right after alignment, whose `comment-id` or `previous-run-id` does not
 * hold; the job must stop before any model call (phase step) or before any artifact is read (preflight).
 */
describe('the Action refuses a hand-dispatched run whose inputs do not hold', () => {
  let h: ActionHarness;
  let base: string;
  let alignment: ActionRun;
  let modelCalls = 0;
  const phase: Record<string, ActionRun> = {};
  const preflight: Record<string, ActionRun & { artifactRequests: number }> = {};
  let approved: ActionRun;

  beforeAll(async () => {
    h = await startActionHarness(await loadScript(DEMO_SCRIPT));
    const config = await readFile(join(EXAMPLE, '.github/ipo.yml'), 'utf8');
    await commitFiles(
      h.github.gitDir(),
      'main',
      { '.github/ipo.yml': `${config}requireDistinctApprover: true\n` },
      { message: 'ipo: approvals by someone other than the starter' },
    );
    base = await createSessionBranch(h, SESSION);
    // Made before alignment even ran: an approval of a gate that was not open yet.
    const early = h.comment('writer', PROCEED);
    // A minute before: GitHub's created_at has whole seconds, and the job takes a comment made in the second the
    // gate opened as made after it (runner and GitHub clocks differ by that much), so the test leaves no doubt.
    const earlyRecord = h.github.state.comments.find((c) => c.id === early);
    if (!earlyRecord) throw new Error('no early comment');
    earlyRecord.createdAt = new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    alignment = await h.runPhase({
      phase: 'alignment',
      session: SESSION,
      approvedSha: base,
      commentId: h.comment('maintainer', "I'm going to start phase 1.3"),
    });
    const other = h.github.createIssue({ title: 'Another task', user: 'writer' });
    const cases: Record<string, { commentId: number; extraInputs?: Record<string, string> }> = {
      reader: { commentId: h.comment('reader', PROCEED) },
      otherIssue: { commentId: h.comment('writer', PROCEED, other.number) },
      otherCommand: { commentId: h.comment('writer', 'proceed to commit') },
      early: { commentId: early },
      bot: { commentId: h.comment('other-app[bot]', PROCEED) },
      missing: { commentId: 987654321 },
      // The starter approves their own session; the inputs the job used to trust name someone else.
      starter: {
        commentId: h.comment('maintainer', PROCEED),
        extraInputs: { 'requested-by': 'writer', 'comment-url': 'https://example.invalid/#issuecomment-1' },
      },
      // A dispatch that names another identity as ipo's finds no status comment to hold the artifact to.
      otherStatusAuthor: {
        commentId: h.comment('writer', PROCEED),
        extraInputs: { 'status-author': 'other-app[bot]' },
      },
    };
    modelCalls = h.replay.requests.length;
    for (const [name, c] of Object.entries(cases)) {
      phase[name] = await h.runPhase({
        phase: 'implementation',
        session: SESSION,
        approvedSha: base,
        stateFrom: alignment.outDir,
        ...c,
      });
    }

    const good = h.comment('writer', PROCEED);
    const title = runName({ session: SESSION, phase: 'alignment', attempt: 1, issueNumber: h.issueNumber });
    await h.github.createRepo('mallory', 'tally');
    const runs: Record<string, number> = {
      theRecordedOne: alignment.runId,
      otherWorkflow: await h.addRun({ path: '.github/workflows/ci.yml', displayTitle: title }),
      pullRequest: await h.addRun({ event: 'pull_request', displayTitle: title }),
      otherBranch: await h.addRun({ headBranch: `ipo/${SESSION}`, displayTitle: title }),
      otherSession: await h.addRun({
        displayTitle: runName({
          session: `${SESSION}-2`,
          phase: 'alignment',
          attempt: 1,
          issueNumber: h.issueNumber,
        }),
      }),
      otherRepository: await h.addRun({ owner: 'mallory', repo: 'tally', displayTitle: title }),
      inProgress: await h.addRun({ status: 'in_progress', displayTitle: title }),
    };
    for (const [name, previousRunId] of Object.entries(runs)) {
      const before = h.github.requests.length;
      const run = await h.preflight({
        phase: 'implementation',
        session: SESSION,
        previousRunId,
        commentId: good,
      });
      // Neither the list of the run's artifacts nor any artifact's zip: nothing of the run is looked at.
      const artifactRequests = h.github.requests
        .slice(before)
        .filter((r) => r.path.includes('/artifacts')).length;
      preflight[name] = { ...run, artifactRequests };
    }
    // Tag `main` at a commit of a writer's own: GitHub reports `head_branch: main` for a run of it. Even where
    // the status comment records that run (a job that ran from the tag wrote it), its commit is not on main.
    const tagSha = await commitFiles(h.github.gitDir(), 'tagged', { 'EVIL.md': 'uploads anything\n' });
    const tagRun = await h.addRun({ displayTitle: title, headSha: tagSha });
    const status = h.github.state.comments.find((c) => c.user === 'ipo-app[bot]');
    if (!status) throw new Error('no status comment');
    const recorded = status.body;
    status.body = recorded
      .replace(`"lastRunId":${alignment.runId}`, `"lastRunId":${tagRun}`)
      .replace(/"lastRunSha":"[0-9a-f]{40}"/, `"lastRunSha":"${tagSha}"`);
    if (!status.body.includes(tagSha)) throw new Error('the status comment records no lastRunSha');
    const beforeTag = h.github.requests.length;
    const tagged = await h.preflight({
      phase: 'implementation',
      session: SESSION,
      previousRunId: tagRun,
      commentId: good,
    });
    preflight.tagNamedMain = {
      ...tagged,
      artifactRequests: h.github.requests.slice(beforeTag).filter((r) => r.path.includes('/artifacts'))
        .length,
    };
    status.body = recorded;
    preflight.otherStatusAuthor = {
      ...(await h.preflight({
        phase: 'implementation',
        session: SESSION,
        previousRunId: alignment.runId,
        commentId: good,
        extraInputs: { 'status-author': 'other-app[bot]' },
      })),
      artifactRequests: 0,
    };
    preflight.forgedComment = {
      ...(await h.preflight({
        phase: 'implementation',
        session: SESSION,
        previousRunId: alignment.runId,
        commentId: cases.reader?.commentId ?? 0,
      })),
      artifactRequests: 0,
    };

    approved = await h.runPhase({
      phase: 'implementation',
      session: SESSION,
      approvedSha: base,
      stateFrom: alignment.outDir,
      commentId: good,
    });
  }, 300_000);
  afterAll(async () => {
    await h?.close();
  });

  it.each([
    [
      'a reader’s comment',
      'reader',
      /comment \d+ was written by @reader, who has read access to acme\/tally/,
    ],
    ['a comment on another issue', 'otherIssue', /comment \d+ is not on issue #1 .*on its own issue/],
    [
      'a comment whose body is another command',
      'otherCommand',
      /comment \d+ by @writer \(`proceed to commit`\) was refused/,
    ],
    [
      'a comment made before the gate opened',
      'early',
      /comment \d+ by @writer .* was made at .*, before the gate opened at/,
    ],
    [
      'a bot’s comment',
      'bot',
      /comment \d+ was written by @other-app\[bot\], a Bot: only people give commands/,
    ],
    ['a comment id that does not exist', 'missing', /comment 987654321 does not exist in acme\/tally/],
    [
      'the starter approving under requireDistinctApprover, whatever requested-by says',
      'starter',
      /comment \d+ by @maintainer \(`proceed to implementation`\) was refused: .*requireDistinctApprover/,
    ],
  ])(
    'refuses %s before any model call, with the reason in the log and the job summary',
    (_case, name, reason) => {
      const run = phase[name];
      expect(run?.exitCode).not.toBe(0);
      expect(run?.stdout).toMatch(new RegExp(`::error::${reason.source}`));
      expect(run?.summary).toContain('### ipo refused this run');
      expect(run?.summary).toMatch(reason);
      expect(run?.outputs.status).toBeUndefined();
      expect(h.github.actions.artifacts.filter((a) => a.runId === run?.runId)).toEqual([]);
    },
  );

  it('made no model call for any refused run', () => {
    // Only the approved implementation run at the end talked to the model.
    expect(h.replay.requests.length).toBeGreaterThan(modelCalls);
    expect(h.replay.requests.slice(modelCalls).every((r) => r.match?.conversation === 'implementation')).toBe(
      true,
    );
  });

  it('takes the recorded run of this session and names its one state artifact exactly', () => {
    const run = preflight.theRecordedOne;
    expect(run?.exitCode, run?.stdout).toBe(0);
    expect(run?.outputs['state-artifact']).toBe(`ipo-${SESSION}-alignment-1`);
  });

  it.each([
    [
      'another workflow',
      'otherWorkflow',
      /is a run of \.github\/workflows\/ci\.yml, not of the configured ipo workflow/,
    ],
    ['a pull_request run', 'pullRequest', /was triggered by pull_request, not workflow_dispatch/],
    [
      'a run from another branch',
      'otherBranch',
      /ran the workflow from ipo\/.*, not the default branch main/,
    ],
    [
      'another session',
      'otherSession',
      /\("ipo phase-1\.3-\d{8}-2 alignment #1 \(issue 1\)"\) is not a run of session phase-1\.3-\d{8} on issue #1/,
    ],
    ['another repository', 'otherRepository', /is not a run of acme\/tally/],
    ['a run still in progress', 'inProgress', /is in_progress, not completed/],
    [
      'a tag named like the default branch',
      'tagNamedMain',
      /ran commit [0-9a-f]{7}, which is not on the history of main/,
    ],
  ])('refuses a previous run of %s before any artifact is read', (_case, name, reason) => {
    const run = preflight[name];
    expect(run?.exitCode).not.toBe(0);
    expect(run?.stdout).toMatch(new RegExp(`::error::previous run \\d+ ${reason.source}`));
    expect(run?.summary).toMatch(reason);
    expect(run?.outputs['state-artifact']).toBeUndefined();
    expect(run?.artifactRequests).toBe(0);
  });

  it('refuses to continue a session without the trusted status comment that records its ledger', () => {
    const run = phase.otherStatusAuthor;
    expect(run?.exitCode).not.toBe(0);
    expect(run?.stdout).toMatch(
      /::error::.*no status comment of session phase-1\.3-\d{8} by @other-app\[bot\] on issue #1 .*status-author/,
    );
    expect(run?.outputs.status).toBeUndefined();
    expect(h.github.actions.artifacts.filter((a) => a.runId === run?.runId)).toEqual([]);
    const pre = preflight.otherStatusAuthor;
    expect(pre?.exitCode).not.toBe(0);
    expect(pre?.stdout).toMatch(
      /::error::previous-run-id names run \d+, but issue #1 has no status comment .*status-author/,
    );
    expect(pre?.outputs['state-artifact']).toBeUndefined();
  });

  it('refuses a reader’s comment in the preflight too, before the download', () => {
    const run = preflight.forgedComment;
    expect(run?.exitCode).not.toBe(0);
    expect(run?.stdout).toMatch(/::error::comment \d+ was written by @reader, who has read access/);
    expect(run?.outputs['state-artifact']).toBeUndefined();
  });

  it("runs the dispatch whose comment holds, recording the comment's author as the approver", async () => {
    expect(approved.exitCode, approved.stdout).toBe(0);
    const ledger = JSON.parse(await readFile(join(approved.outDir, 'session.json'), 'utf8')) as Ledger;
    expect(ledger.startedBy).toBe('maintainer');
    expect(ledger.approvals.map((a) => `${a.gate}:${a.approver}`)).toEqual(['implementation:writer']);
    expect(ledger.approvals[0]?.commentUrl).toMatch(/#issuecomment-\d+$/);
  });
});
