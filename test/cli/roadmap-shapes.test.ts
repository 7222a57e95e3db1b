import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSessionLedger } from '../../src/local/read-session-ledger.ts';
import { type ReplayServer, startReplayServer } from '../../src/replay/replay-server.ts';
import { listSessionIds } from '../../src/state/artifact-store.ts';
import { alignmentOnlyScript, cliEnv, copyRepo, createDemoRepo, gitIn, runIpo } from './cli-fixtures.ts';

// `ipo start` on roadmaps written the ways real repositories write them (a real CLI process, a replayed model): the
// demo's task 1.3 in each shape, with the same body, is found, and its text is what alignment reads.

const BODY =
  'Implement `median(values)` as specified in SPEC §4. Out of scope: weighted or streaming medians.';

const SHAPES: [string, string][] = [
  [
    '"Phase" headings',
    `# Roadmap\n\n## Phase 1.2 — Mean\nDone.\n\n## Phase 1.3 — Add median\n${BODY}\n\n## Phase 2.1 — Next\n`,
  ],
  ['a checklist', `# Roadmap\n\n- [x] 1.2 Mean\n- [ ] 1.3 Add median\n  ${BODY}\n- [ ] 2.1 Next\n`],
  [
    'a table',
    `# Roadmap\n\n| Task | Title | Notes |\n|---|---|---|\n| 1.2 | Mean | done |\n| 1.3 | Add median | ${BODY} |\n`,
  ],
  [
    'a numbered list with "Task"',
    `# Roadmap\n\n1. Task 1.2: Mean\n2. Task 1.3: Add median\n   ${BODY}\n3. Task 2.1: Next\n`,
  ],
];

let root: string;
let home: string;
let template: string;
let copies = 0;
const replays: ReplayServer[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ipo-roadmaps-'));
  home = join(root, 'home');
  await mkdir(home);
  template = await createDemoRepo(join(root, 'template'));
});

afterAll(async () => {
  await Promise.all(replays.map((r) => r.close()));
  await rm(root, { recursive: true, force: true });
});

/** A copy of the demo repository whose committed roadmap is `roadmap`. */
async function repoWithRoadmap(roadmap: string): Promise<string> {
  copies += 1;
  const repo = await copyRepo(template, join(root, `case-${copies}`));
  await writeFile(join(repo, 'docs/ROADMAP.md'), roadmap);
  await gitIn(repo, ['commit', '--quiet', '-am', 'roadmap']);
  return repo;
}

/** The environment of one `ipo start`: a fresh replay of the demo's alignment (a script is used up once played). */
async function keyEnv(): Promise<Record<string, string>> {
  const replay = await startReplayServer({ script: await alignmentOnlyScript() });
  replays.push(replay);
  return cliEnv(home, { ANTHROPIC_API_KEY: 'replay-test-key', ANTHROPIC_BASE_URL: replay.url });
}

describe.concurrent('ipo start on roadmaps in the shapes found in the wild', () => {
  it.each(SHAPES)('finds task 1.3 in %s and hands alignment its text', async (_shape, roadmap) => {
    const repo = await repoWithRoadmap(roadmap);
    const started = await runIpo(['start', '1.3'], repo, await keyEnv());
    expect(started.stderr).toBe('');
    expect(started.stdout).toContain('Session phase-1.3-');
    expect(started.stdout).toContain('(Add median)');
    const [session] = await listSessionIds(repo);
    const ledger = await readSessionLedger(repo, session ?? '');
    expect(ledger.task.title).toBe('Add median');
    expect(ledger.task.text).toContain(BODY);
    expect(ledger.task.text).not.toContain('Next');
    expect(ledger.status.kind).toBe('awaiting');
  });

  it('asks for --force before starting a task the roadmap marks done, then starts it', async () => {
    const repo = await repoWithRoadmap(`# Roadmap\n\n- [x] 1.3 Add median\n  ${BODY}\n`);
    const refused = await runIpo(['start', '1.3'], repo, await keyEnv());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'ipo: task 1.3 is marked done in docs/ROADMAP.md (line 3: `- [x] 1.3 Add median`). To run a session for it anyway: `ipo start 1.3 --force`\n',
    );
    expect(await listSessionIds(repo)).toEqual([]);
    expect(await gitIn(repo, ['branch', '--list', 'ipo/*'])).toBe('');
    const forced = await runIpo(['start', '1.3', '--force'], repo, await keyEnv());
    expect(forced).toMatchObject({ code: 0, stderr: '' });
    expect(await listSessionIds(repo)).toHaveLength(1);
  });

  it('shows the lines it skipped, and why, when the task is not found', async () => {
    const repo = await repoWithRoadmap(
      '# Roadmap\n\n## Add median (1.3)\nBody.\n\n```\n## 1.3 Example\n```\n',
    );
    const result = await runIpo(['start', '1.3'], repo, cliEnv(home));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.split('\n');
    expect(lines[0]).toBe('ipo: task 1.3 is not in docs/ROADMAP.md (tasks there: none)');
    expect(lines.slice(1, 5)).toEqual([
      '  docs/ROADMAP.md:3: ## Add median (1.3)',
      '    skipped: the heading does not start with the id: put it first, e.g. `## 1.3 Title`',
      '  docs/ROADMAP.md:7: ## 1.3 Example',
      '    skipped: inside a fenced code block, which is never read as a task',
    ]);
    expect(result.stderr).toContain('`## Phase 1.2 — Title`, `- [ ] 1.2 Title`, `| 1.2 | Title |`');
  });
});
