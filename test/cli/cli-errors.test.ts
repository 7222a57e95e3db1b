import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReplayServer, startReplayServer } from '../../src/replay/replay-server.ts';
import { statusReportSchema } from '../../src/report/status-report-schema.ts';
import { listSessionIds, sessionDir } from '../../src/state/artifact-store.ts';
import {
  alignmentOnlyScript,
  cliEnv,
  copyRepo,
  createDemoRepo,
  gitIn,
  runIpo,
  snapshotDir,
  snapshotRepo,
} from './cli-fixtures.ts';

// Every refusal of the CLI: exit code ≠ 0, exactly one `ipo: …` line on stderr, nothing on stdout, and the repository
// (refs, HEAD, worktrees, tree status, every byte of the session store) exactly as it was before.

let root: string;
let home: string;
let template: string;
let copies = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ipo-cli-errors-'));
  home = join(root, 'home');
  await mkdir(home);
  template = await createDemoRepo(join(root, 'template'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Runs `ipo <args>` and checks the refusal contract; returns the exit code and the error line. */
async function expectRefusal(
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = cliEnv(home),
  snapshot: (dir: string) => Promise<Record<string, string>> = snapshotRepo,
): Promise<{ code: number; line: string }> {
  const before = await snapshot(cwd);
  const result = await runIpo(args, cwd, env);
  expect(await snapshot(cwd)).toEqual(before);
  // One `ipo: …` line for scripts, then optionally indented detail for a person.
  expect(result.stderr).toMatch(/^ipo: [^\n]+\n(?: {2}[^\n]*\n)*$/);
  expect(result.stdout).toBe('');
  expect(result.code).not.toBe(0);
  return { code: result.code, line: result.stderr.split('\n')[0] ?? '' };
}

/** A fresh copy of `from` for a case that changes the repository before running ipo. */
async function copyOf(from: string): Promise<string> {
  copies += 1;
  return copyRepo(from, join(root, `case-${copies}`));
}

const writeConfig = (text: string) => (repo: string) => writeFile(join(repo, '.github/ipo.yml'), text);

// The two groups run side by side: the session of the second is prepared while the first one's cases run.
describe.concurrent('ipo error handling', () => {
  describe('ipo refuses bad input in a repository without a session', () => {
    it.each([
      {
        args: ['start', '9.9'],
        exit: 1,
        says: 'task 9.9 is not in docs/ROADMAP.md (tasks there: 1.1, 1.2, 1.3, 2.1, 2.2)',
      },
      {
        args: ['start', "I'm going to start phase 9.9"],
        exit: 1,
        says: 'task 9.9 is not in docs/ROADMAP.md (tasks there: 1.1, 1.2, 1.3, 2.1, 2.2)',
      },
      {
        args: ['start', '1.3'],
        exit: 1,
        says: 'ANTHROPIC_API_KEY is not set: export it to run phases against the Anthropic API, or run `ipo demo` for an offline session with replayed responses',
      },
      {
        args: ['status'],
        exit: 1,
        says: 'no active session here: start one with `ipo start <task id>` (or try `ipo demo`)',
      },
      {
        args: ['status', '--session', 'phase-9.9-20990101'],
        exit: 1,
        says: 'no session phase-9.9-20990101 in this repository (none yet: start one with `ipo start <task id>`)',
      },
      {
        args: ['status', '--session', '../../etc'],
        exit: 1,
        says: '"../../etc" is not a session id (expected "phase-<task>-<YYYYMMDD>[-<n>]")',
      },
      {
        args: ['proceed', 'alignment'],
        exit: 2,
        says: 'alignment has no gate: it runs when a session starts; `ipo proceed` takes implementation, verification, commit',
      },
      {
        args: ['retry', 'verify'],
        exit: 2,
        says: 'unknown phase "verify": did you mean `ipo retry verification`? (phases: alignment, implementation, verification, commit)',
      },
      {
        args: ['rollback', 'banana'],
        exit: 2,
        says: 'unknown phase "banana" (phases: alignment, implementation, verification, commit)',
      },
      { args: ['hello there'], exit: 2, says: '"hello there" is not an ipo command; see `ipo --help`' },
      { args: ['strat', '1.3'], exit: 2, says: "unknown command 'strat' (Did you mean start?)" },
      { args: ['start'], exit: 2, says: "missing required argument 'task'" },
    ])('ipo $args → exit $exit: $says', async ({ args, exit, says }) => {
      const { code, line } = await expectRefusal(args, template);
      expect(line).toBe(`ipo: ${says}`);
      expect(code).toBe(exit);
    });

    it('refuses to start outside a git repository', async () => {
      const plain = join(root, 'plain');
      await mkdir(plain);
      await writeFile(join(plain, 'README.md'), '# not a repository\n');
      const { code, line } = await expectRefusal(['start', '1.3'], plain, cliEnv(home), snapshotDir);
      expect(line).toBe(`ipo: ${plain} is not inside a git repository: run ipo from your project's checkout`);
      expect(code).toBe(1);
    });

    it.each([
      {
        breaks: 'an unknown key in .github/ipo.yml',
        change: writeConfig('spec: docs/SPEC.md\nverfication:\n  commands: [npm test]\n'),
        commit: true,
        says: '.github/ipo.yml: unknown key "verfication" (did you mean "verification"?)',
      },
      {
        breaks: 'a field of the wrong type in .github/ipo.yml',
        change: writeConfig('spec: 42\ntasks: docs/ROADMAP.md\n'),
        commit: true,
        says: '.github/ipo.yml: spec: expected string, got number',
      },
      {
        breaks: 'two wrong fields in .github/ipo.yml (both named, on one line)',
        change: writeConfig('spec: 42\nrequireDistinctApprover: maybe\n'),
        commit: true,
        says: '.github/ipo.yml: spec: expected string, got number; requireDistinctApprover: expected boolean, got string',
      },
      {
        breaks: 'a .github/ipo.yml that is not YAML',
        change: writeConfig('spec: [\n'),
        commit: true,
        says: '.github/ipo.yml: not valid YAML (line 2, column 1: Flow sequence in block collection must be sufficiently indented and end with a ])',
      },
      {
        breaks: 'the spec file deleted on main',
        change: (repo: string) => rm(join(repo, 'docs/SPEC.md')),
        commit: true,
        says: 'spec file docs/SPEC.md (config `spec`) is not on main',
      },
      {
        breaks: 'the tasks file deleted on main',
        change: (repo: string) => rm(join(repo, 'docs/ROADMAP.md')),
        commit: true,
        says: 'tasks file docs/ROADMAP.md (config `tasks`) is not on main',
      },
      {
        breaks: 'uncommitted changes to the spec file',
        change: (repo: string) =>
          writeFile(join(repo, 'docs/SPEC.md'), 'edited, not committed\n', { flag: 'a' }),
        commit: false,
        says: 'docs/SPEC.md has uncommitted changes; a session reads the committed version: commit first',
      },
      {
        breaks: 'a detached HEAD',
        change: (repo: string) => gitIn(repo, ['checkout', '--quiet', '--detach']),
        commit: false,
        says: 'HEAD is detached: check out the branch sessions should start from (e.g. main)',
      },
    ])('ipo start 1.3 refuses $breaks', async ({ change, commit, says }) => {
      const repo = await copyOf(template);
      await change(repo);
      if (commit) {
        await gitIn(repo, ['add', '--all']);
        await gitIn(repo, ['commit', '--quiet', '-m', 'break the setup']);
      }
      const { code, line } = await expectRefusal(['start', '1.3'], repo);
      expect(line).toBe(`ipo: ${says}`);
      expect(code).toBe(1);
    });
  });

  describe('ipo refuses what does not fit a session awaiting implementation', () => {
    const OPEN_GATE = 'the open gate is `proceed to implementation` (awaiting:implementation)';
    let awaiting: string;
    let pristine: Record<string, string>;
    let session: string;
    let replay: ReplayServer;
    let keyEnv: Record<string, string>;

    beforeAll(async () => {
      awaiting = await createDemoRepo(join(root, 'awaiting'));
      replay = await startReplayServer({ script: await alignmentOnlyScript() });
      keyEnv = cliEnv(home, { ANTHROPIC_API_KEY: 'replay-test-key', ANTHROPIC_BASE_URL: replay.url });
      const started = await runIpo(['start', '1.3'], awaiting, keyEnv);
      expect(started).toMatchObject({ code: 0, stderr: '' });
      expect(replay.remaining()).toEqual([]);
      session = (await listSessionIds(awaiting))[0] ?? '';
      pristine = await snapshotRepo(awaiting);
    });

    afterAll(async () => {
      await replay?.close();
      // The copies made for the mutating cases must not have reached back into the shared repository.
      expect(await snapshotRepo(awaiting)).toEqual(pristine);
    });

    it.each([
      { args: ['proceed', 'verification'], says: `${OPEN_GATE}, not \`proceed to verification\`` },
      { args: ['proceed to verification'], says: `${OPEN_GATE}, not \`proceed to verification\`` },
      { args: ['proceed', 'commit'], says: `${OPEN_GATE}, not \`proceed to commit\`` },
      {
        args: ['rollback', 'commit'],
        says: 'commit has not been reached yet (awaiting:implementation), so there is nothing to roll back; you can say `rollback alignment`, `rollback implementation` or `cancel session`',
      },
      {
        args: ['retry', 'alignment'],
        says: `nothing to retry: no phase failed or is blocked (awaiting:implementation); ${OPEN_GATE.replace(' (awaiting:implementation)', '')}`,
      },
      {
        args: ['rollback', 'alignment'],
        says: 'ANTHROPIC_API_KEY is not set: export it to run phases against the Anthropic API, or run `ipo demo` for an offline session with replayed responses',
      },
      {
        args: ['status', '--session', 'phase-9.9-20990101'],
        says: 'no session phase-9.9-20990101 in this repository (sessions here: $session)',
      },
    ])('refuses ipo $args: $says', async ({ args, says }) => {
      const { code, line } = await expectRefusal(args, awaiting);
      expect(line).toBe(`ipo: ${says.replace('$session', session)}`);
      expect(code).toBe(1);
    });

    it.each([
      {
        args: ['proceed', 'implemntation'],
        says: /^ipo: unknown phase "implemntation": did you mean `ipo proceed implementation`\? \(phases: implementation, verification, commit\)$/,
      },
      {
        // The phrase form goes through the comment parser, whose reply lists every valid phrase.
        args: ['proceed to review'],
        says: /^ipo: `proceed to review` looks like a command but is not one, so I did nothing\. Valid commands .*`proceed to implementation`, `proceed to verification`, `proceed to commit`.*`cancel session`/,
      },
    ])('treats ipo $args as a usage error (exit 2)', async ({ args, says }) => {
      const { code, line } = await expectRefusal(args, awaiting);
      expect(line).toMatch(says);
      expect(code).toBe(2);
    });

    it('refuses a second session for the same task and names the active one', async () => {
      const { code, line } = await expectRefusal(['start', '1.3'], awaiting, keyEnv);
      expect(line).toBe(
        `ipo: session ${session} for task 1.3 is still active (awaiting:implementation): finish it or \`ipo cancel --session ${session}\``,
      );
      expect(code).toBe(1);
    });

    it('shows the status and what to type next without rewriting anything', async () => {
      const ledgerFile = join(sessionDir(awaiting, session), 'session.json');
      const { ino, mtimeMs } = await stat(ledgerFile);
      const result = await runIpo(['status'], awaiting, cliEnv(home));
      // Not even rewritten with the same bytes: a status racing a running phase would undo what the phase recorded.
      expect(await stat(ledgerFile)).toMatchObject({ ino, mtimeMs });
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toMatch(new RegExp(`session +${session}\\n`));
      expect(result.stdout).toMatch(/state +awaiting:implementation\n/);
      expect(result.stdout).toMatch(
        /next +ipo proceed implementation +or +ipo "proceed to implementation"\n/,
      );
      expect(await snapshotRepo(awaiting)).toEqual(pristine);
    });

    it('prints status --json that validates against the status schema and names the next phrase', async () => {
      const result = await runIpo(['status', '--json'], awaiting, cliEnv(home));
      expect(result).toMatchObject({ code: 0, stderr: '' });
      const status = statusReportSchema.parse(JSON.parse(result.stdout));
      expect(status).toMatchObject({ session, state: 'awaiting:implementation', task: { id: '1.3' } });
      expect(status.next[0]).toEqual({
        phrase: 'proceed to implementation',
        cli: 'ipo proceed implementation',
      });
      expect(status.phases.map((p) => p.state)).toEqual(['succeeded', 'pending', 'pending', 'pending']);
    });

    it.each([
      {
        tamper: 'truncated',
        edit: (text: string) => text.slice(0, Math.floor(text.length / 2)),
        says: /session\.json: not valid JSON \(/,
        alsoRefuses: [],
      },
      {
        tamper: 'with a task id of the wrong type',
        edit: (text: string) => text.replace('"taskId": "1.3"', '"taskId": 13'),
        says: /session\.json: taskId: expected string, got number$/,
        alsoRefuses: [],
      },
      {
        tamper: 'with an unknown status kind',
        edit: (text: string) => text.replace('"kind": "awaiting"', '"kind": "paused"'),
        says: /session\.json: status\.kind: expected one of "running", "awaiting", .*got "paused"$/,
        alsoRefuses: [],
      },
      {
        // Left alone, the ledger's own id would send the next write into another session's directory.
        tamper: 'with the id of another session',
        edit: (text: string) =>
          text.replace(/"session": "phase-1\.3-\d{8}"/, '"session": "phase-1.3-20990101"'),
        says: /session\.json: session: expected "phase-1\.3-\d{8}" \(the directory it is in\), got "phase-1\.3-20990101"$/,
        alsoRefuses: [['proceed', 'implementation']],
      },
    ])(
      'names the file and the field when session.json was hand-edited ($tamper)',
      async ({ edit, says, alsoRefuses }) => {
        const repo = await copyOf(awaiting);
        const file = join(sessionDir(repo, session), 'session.json');
        const original = await readFile(file, 'utf8');
        const edited = edit(original);
        expect(edited).not.toBe(original);
        await writeFile(file, edited);
        for (const args of [['status'], ...alsoRefuses]) {
          const { code, line } = await expectRefusal(args, repo);
          expect(
            line.startsWith(`ipo: .isolated-phase-orchestrator/sessions/${session}/session.json: `),
          ).toBe(true);
          expect(line).toMatch(says);
          expect(code).toBe(1);
        }
      },
    );

    it('refuses to proceed when the session branch is gone, but still shows and cancels the session', async () => {
      const repo = await copyOf(awaiting);
      await gitIn(repo, ['update-ref', '-d', `refs/heads/ipo/${session}`]);
      const { line } = await expectRefusal(['proceed', 'implementation'], repo);
      expect(line).toBe(
        `ipo: the session branch ipo/${session} is gone: \`ipo cancel --session ${session}\`, then start again`,
      );
      expect(await runIpo(['status'], repo, cliEnv(home))).toMatchObject({ code: 0, stderr: '' });
      const cancelled = await runIpo(['cancel', '--session', session], repo, cliEnv(home));
      expect(cancelled).toMatchObject({ code: 0, stderr: '' });
      expect(cancelled.stdout).toContain(`session ${session} cancelled (was awaiting:implementation)`);
    });
  });
});
