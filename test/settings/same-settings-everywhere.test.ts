import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git } from '../../src/git/git.ts';
import { startSession } from '../../src/local/local-session.ts';
import { UserError } from '../../src/local/user-error.ts';
import { defaultBranchSource } from '../../src/settings/git-settings-source.ts';
import { loadConfig } from '../../src/settings/load-settings.ts';
import type { Config } from '../../src/state/config.ts';
import { type AppHarness, demoConfig, startAppHarness, USERS } from '../app/app-harness.ts';
import { buildIssue } from '../support/github/build-issue.ts';
import { commitFiles } from '../support/github/commit-files.ts';

// One text of .github/ipo.yml must mean one decision on every surface: the app (real Probot against the local
// GitHub), the job's loader (a checkout of the session branch, as actions/checkout leaves it) and the CLI.
const identity = { name: 'Test', email: 'test@example.com' };
const CONFIG = '.github/ipo.yml';
const NOT_YET = 'stop here: the config was accepted';
const WHERE = `\n\nipo reads ${CONFIG} from the default branch \`main\` only: fix it there, then comment again.`;
const INLINE = `copy the settings you need into ${CONFIG} on the default branch and remove \`_extends\``;

let h: AppHarness;
let scratch: string;
let workspace: string;
let cliRepo: string;

beforeAll(async () => {
  h = await startAppHarness();
  scratch = await mkdtemp(join(tmpdir(), 'ipo-same-settings-'));
  // What `_extends` would pull in if it were followed: an owner-wide and a foreign settings file granting approval
  // to someone with no access.
  for (const owner of ['octo', 'other-org']) {
    const seed = join(scratch, `seed-${owner}`);
    await mkdir(join(seed, '.github'), { recursive: true });
    await writeFile(join(seed, CONFIG), `approvers: [${USERS.none}]\n`);
    await h.github.createRepo(owner, '.github', seed);
  }
  workspace = join(scratch, 'job');
  cliRepo = join(scratch, 'cli');
  await git(scratch, ['clone', '--quiet', h.github.gitUrl(), workspace]);
  await git(scratch, ['clone', '--quiet', h.github.gitUrl(), cliRepo]);
}, 60_000);

afterAll(async () => {
  await h?.close();
  await rm(scratch, { recursive: true, force: true });
});

type Outcome = { accepted: true } | { accepted: false; message: string };

/** The job: a fresh fetch, HEAD on a session branch whose config the agent rewrote, settings through the loader. */
async function jobOutcome(): Promise<{ outcome: Outcome; config?: Config }> {
  await git(workspace, ['fetch', '--quiet', 'origin']);
  await git(workspace, ['checkout', '--quiet', '-B', 'ipo/phase-1.3-20250602', 'origin/main']);
  await writeFile(join(workspace, CONFIG), `approvers: [${USERS.none}]\nsurpriseKey: true\n`);
  await git(workspace, ['add', CONFIG]);
  await git(workspace, ['commit', '--quiet', '-m', 'the agent rewrites its rules'], { identity });
  try {
    const { config } = await loadConfig(await defaultBranchSource(workspace, 'main'));
    return { outcome: { accepted: true }, config };
  } catch (error) {
    return { outcome: { accepted: false, message: (error as Error).message } };
  }
}

/** The CLI: `ipo start 1.3` on the default branch, stopped right after the config (no model key). */
async function cliOutcome(): Promise<Outcome> {
  await git(cliRepo, ['pull', '--quiet', '--ff-only']);
  try {
    await startSession(
      {
        cwd: cliRepo,
        actor: USERS.admin,
        now: () => new Date('2025-06-02T09:30:00Z'),
        phaseEnv: {},
        // Never reached: the command stops at the model key, before any worktree.
        worktreeRoot: '/nonexistent',
        log: () => undefined,
        requireModelKey: () => {
          throw new UserError(NOT_YET);
        },
      },
      '1.3',
    );
    throw new Error('the CLI started a session without a model key');
  } catch (error) {
    const message = (error as Error).message;
    return message === NOT_YET ? { accepted: true } : { accepted: false, message };
  }
}

/** The app: an admin says the start phrase; accepted means alignment was dispatched. */
async function appOutcome(task: string) {
  const issue = h.openIssue();
  const before = h.github.requests.length;
  await h.say(issue, USERS.admin, `I'm going to start phase ${task}`);
  const requests = h.github.requests.slice(before).filter((r) => r.kind === 'rest');
  const outcome: Outcome =
    h.runsOn(issue.number).length === 1
      ? { accepted: true }
      : { accepted: false, message: h.replies(issue.number).join('\n---\n') };
  return { outcome, requests };
}

describe('Given the same .github/ipo.yml on main, app, job and CLI decide the same', () => {
  let task = 0;
  it.each<[string, string, string | RegExp | null]>([
    ['a valid file', '', null],
    [
      'malformed YAML',
      'approvers: [wes',
      /^\.github\/ipo\.yml: not valid YAML \(line \d+, column \d+: .+\)$/,
    ],
    [
      'an unknown key',
      'aprovers: [wes]',
      '.github/ipo.yml: unknown key "aprovers" (did you mean "approvers"?)',
    ],
    [
      '`_extends` naming another owner',
      '_extends: other-org/.github',
      `.github/ipo.yml: _extends: ipo does not read settings from another repository (it names "other-org/.github"): ${INLINE}`,
    ],
    [
      '`_extends` naming the same owner',
      '_extends: octo/.github',
      `.github/ipo.yml: _extends: ipo does not read settings from another repository (it names "octo/.github"): ${INLINE}`,
    ],
  ])('with %s, the outcome and the error text are the same on all three', async (_given, extra, expected) => {
    task += 1;
    await h.setConfig(await demoConfig(extra));

    const app = await appOutcome(`8.${task}`);
    const job = await jobOutcome();
    const cli = await cliOutcome();

    if (expected === null) {
      expect([app.outcome, job.outcome, cli]).toEqual([
        { accepted: true },
        { accepted: true },
        { accepted: true },
      ]);
      // The job read main's file, not the session branch's rewrite of it.
      expect(job.config?.approvers).toEqual([]);
    } else {
      expect(job.outcome.accepted).toBe(false);
      const message = job.outcome.accepted ? '' : job.outcome.message;
      if (typeof expected === 'string') expect(message).toBe(expected);
      else expect(message).toMatch(expected);
      expect(cli).toEqual({ accepted: false, message });
      expect(app.outcome).toEqual({
        accepted: false,
        message: `@${USERS.admin} ipo cannot act on this repository: ${message}${WHERE}`,
      });
    }
    // The app read this repository's file at its default branch and nothing of any other repository: no
    // `_extends` target, no owner-wide `.github` repository.
    const contents = app.requests.filter((r) => r.path.includes('/contents/'));
    expect(contents.map((r) => [r.method, r.path, r.query])).toEqual([
      ['GET', '/repos/octo/demo/contents/.github%2Fipo.yml', {}],
    ]);
    expect(
      app.requests.filter((r) => r.path.startsWith('/repos/') && !r.path.startsWith('/repos/octo/demo/')),
    ).toEqual([]);
  });
});

describe('Given a settings change outside the default branch', () => {
  it('when the config is absent on main, the app uses the defaults and never reads the owner-wide .github repository', async () => {
    await removeFromMain(CONFIG);
    try {
      const app = await appOutcome('8.90');
      expect(app.outcome).toEqual({ accepted: true });
      expect(
        app.requests.filter((r) => r.path.includes('/contents/')).map((r) => [r.path, r.status]),
      ).toEqual([['/repos/octo/demo/contents/.github%2Fipo.yml', 404]]);
      expect((await jobOutcome()).config?.approvers).toEqual([]);
    } finally {
      await h.setConfig(await demoConfig(''));
    }
  });

  it('when a pull request head grants someone approval, the app still refuses them; on main it would not', async () => {
    await h.setConfig(await demoConfig(''));
    const record = h.github.state.repo('octo', 'demo');
    if (!record) throw new Error('the demo repository is missing');
    const base = (await h.refSha('refs/heads/main')) ?? '';
    const head = await commitFiles(h.github.gitDir(), 'contrib', {
      [CONFIG]: await demoConfig(`approvers: [${USERS.none}]`),
    });
    const pull = h.github.state.addPull(
      record,
      { title: 'Let nia approve', user: USERS.none, head: 'contrib', base: 'main', draft: false },
      { head, base },
    );
    const issueRecord = h.github.state.issue(record, pull.number);
    if (!issueRecord) throw new Error('the pull request has no issue record');
    const issue = buildIssue(record, issueRecord, 0, { apiUrl: h.github.apiUrl, webUrl: h.github.webUrl });

    await h.say(issue, USERS.none, "I'm going to start phase 8.91");
    expect(h.runsOn(issue.number)).toEqual([]);
    expect(h.replies(issue.number).at(-1)).toMatch(/^@nia may not say `I'm going to start phase 8\.91`/);

    // The control: the same change on the default branch does grant it, so the refusal above is the ref rule.
    await h.setConfig(await demoConfig(`approvers: [${USERS.none}]`));
    try {
      await h.say(issue, USERS.none, "I'm going to start phase 8.92");
      expect(h.runsOn(issue.number).map((run) => run.inputs.phase)).toEqual(['alignment']);
    } finally {
      await h.setConfig(await demoConfig(''));
    }
  });

  it("when the session branch's config grants someone approval, the app still refuses them", async () => {
    await h.setConfig(await demoConfig(''));
    const issue = h.openIssue();
    const marker = await h.seedSession(issue, await h.awaiting('implementation'));
    await commitFiles(h.github.gitDir(), marker.branch, {
      [CONFIG]: await demoConfig(`approvers: [${USERS.none}]`),
    });

    await h.say(issue, USERS.none, 'cancel session');

    expect(h.replies(issue.number).at(-1)).toMatch(/^@nia may not say `cancel session`/);
    expect(h.sticky(issue.number)?.state).toEqual(marker.state);
  });
});

describe('Given GitHub fails to answer for .github/ipo.yml', () => {
  it('when an admin says the start phrase, then the reply says GitHub failed and to comment again, not that the config is wrong', async () => {
    await h.setConfig(await demoConfig(''));
    const issue = h.openIssue();
    h.github.failNext({ method: 'GET', path: '/repos/octo/demo/contents/.github%2Fipo.yml', status: 502 });

    await h.say(issue, USERS.admin, "I'm going to start phase 8.95");

    expect(h.github.pendingFaults()).toBe(0);
    expect(h.replies(issue.number)).toEqual([
      "@ada ipo could not carry out `I'm going to start phase 8.95`: GitHub answered 502 to GET " +
        '/repos/octo/demo/contents/.github/ipo.yml: local GitHub: injected 502. Nothing was changed. Comment again ' +
        'to retry.',
    ]);
    expect(h.runsOn(issue.number)).toEqual([]);
  });
});

/** Commits the removal of `path` on main of the local GitHub's bare repository (no work tree, no push). */
async function removeFromMain(path: string): Promise<void> {
  const gitDir = h.github.gitDir();
  const env = { GIT_INDEX_FILE: join(scratch, 'remove-index') };
  const parent = (await git(gitDir, ['rev-parse', 'refs/heads/main'])).trim();
  await git(gitDir, ['read-tree', parent], { env });
  // Mode 0 in --index-info removes the entry; --force-remove would want a work tree.
  await git(gitDir, ['update-index', '--index-info'], { env, input: `0 ${'0'.repeat(40)}\t${path}\n` });
  const tree = (await git(gitDir, ['write-tree'], { env })).trim();
  const commit = (
    await git(gitDir, ['commit-tree', tree, '-p', parent, '-m', `remove ${path}`], { env, identity })
  ).trim();
  await git(gitDir, ['update-ref', 'refs/heads/main', commit, parent]);
}
