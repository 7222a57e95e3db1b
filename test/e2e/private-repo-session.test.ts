import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCRIPT } from '../../src/cli/commands/demo.ts';
import { loadScript } from '../../src/replay/load-script.ts';
import { type E2E, OWNER, REPO, startE2E } from './e2e-harness.ts';

describe('end to end on a private repository whose plan has no draft pull requests (GitHub Free or Pro)', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E(await loadScript(DEMO_SCRIPT));
    const repo = e.github.state.repo(OWNER, REPO);
    if (!repo) throw new Error('no repository');
    repo.private = true;
    repo.draftPullRequests = false;
  }, 60_000);
  afterAll(async () => {
    await e?.close();
  });

  it('Given drafts are refused, When implementation runs, Then the PR opens ready for review and the status comment says so', async () => {
    await e.comment('maintainer', "I'm going to start implementation of phase 1.3");
    await e.comment('maintainer', 'proceed to implementation');
    expect(e.runner.records.map((r) => `${r.phase}:${r.conclusion}`)).toEqual([
      'alignment:success',
      'implementation:success',
    ]);
    const marker = await e.marker();
    expect(marker?.state).toMatchObject({ kind: 'awaiting', gate: 'verification' });
    expect(e.github.state.pulls).toHaveLength(1);
    expect(e.github.state.pulls[0]).toMatchObject({ draft: false, head: `ipo/${marker?.session}` });
    const status = e.comments().find((c) => c.body.includes('<!-- ipo:status'))?.body ?? '';
    expect(status).toMatch(/Pull request \[#\d+\]\(.*\) is open \*\*ready for review\*\*, not as a draft/);
  }, 180_000);

  it('When the session goes on to commit, Then it completes on that same PR, ready for review', async () => {
    await e.comment('writer', 'proceed to verification');
    await e.comment('maintainer', 'proceed to commit');
    expect(e.runner.records.map((r) => `${r.phase}:${r.conclusion}`).slice(2)).toEqual([
      'verification:success',
      'commit:success',
    ]);
    expect((await e.marker())?.state).toEqual({ kind: 'complete' });
    expect(e.github.state.pulls).toHaveLength(1);
    expect(e.github.state.pulls[0]?.draft).toBe(false);
  }, 240_000);
});
