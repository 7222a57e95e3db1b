import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { checkImplementationFacts } from '../../src/action/check-implementation-facts.ts';
import type { ImplementationBody } from '../../src/state/artifacts/implementation.ts';

const exec = promisify(execFile);
const ID = ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid'];
const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map((r) => rm(r, { recursive: true, force: true })));
});

/** A repository with a base commit holding README.md, and two commits on it: the implementation's. */
async function implemented() {
  const cwd = await mkdtemp(join(tmpdir(), 'ipo-impl-facts-'));
  roots.push(cwd);
  const commit = async (files: Record<string, string>, message: string) => {
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(cwd, path)), { recursive: true });
      await writeFile(join(cwd, path), text);
    }
    await exec('git', ['add', '--all'], { cwd });
    await exec('git', [...ID, 'commit', '--quiet', '-m', message], { cwd });
    return (await exec('git', ['rev-parse', 'HEAD'], { cwd })).stdout.trim();
  };
  await exec('git', ['init', '--quiet', cwd]);
  const base = await commit({ 'README.md': 'hello\n' }, 'base');
  const first = await commit({ 'src/median.js': 'export {}\n' }, 'add median');
  const head = await commit({ 'README.md': 'hello\nworld\n', '.env.production': 'KEY=1\n' }, 'docs');
  const body: ImplementationBody = {
    baseSha: base,
    headSha: head,
    commits: [
      { sha: first, subject: 'add median' },
      { sha: head, subject: 'docs' },
    ],
    filesChanged: [
      { path: '.env.production', status: 'added', additions: 1, deletions: 0 },
      { path: 'README.md', status: 'modified', additions: 1, deletions: 0 },
      { path: 'src/median.js', status: 'added', additions: 1, deletions: 0 },
    ],
    summary: 'Adds median.',
    criteriaNotes: [],
    commands: [],
  };
  return { cwd, base, head, body };
}

describe("checkImplementationFacts: the write job recomputes the implementation artifact's git facts", () => {
  it('takes an artifact whose facts are what the commits hold', async () => {
    const c = await implemented();
    await expect(checkImplementationFacts(c.cwd, c.body, c)).resolves.toBeUndefined();
  });

  it.each<[string, (b: ImplementationBody) => ImplementationBody, string]>([
    [
      'a changed file left out of filesChanged (hidden from the verifier)',
      (b) => ({ ...b, filesChanged: b.filesChanged.filter((f) => f.path !== '.env.production') }),
      "implementation.json's filesChanged is not what the commits change: it leaves out .env.production (added, +1 -0)",
    ],
    [
      'a file listed that no commit changes',
      (b) => ({
        ...b,
        filesChanged: [
          ...b.filesChanged,
          { path: 'src/extra.js', status: 'added', additions: 3, deletions: 0 },
        ],
      }),
      'it lists src/extra.js (added, +3 -0), which no commit changes',
    ],
    [
      'a file renamed in the artifact that git sees as modified',
      (b) => ({
        ...b,
        filesChanged: b.filesChanged.map((f) =>
          f.path === 'README.md' ? { ...f, status: 'renamed' as const, previousPath: 'docs/README.md' } : f,
        ),
      }),
      'it says README.md (renamed from docs/README.md, +1 -0), git says README.md (modified, +1 -0)',
    ],
    [
      'understated line counts',
      (b) => ({
        ...b,
        filesChanged: b.filesChanged.map((f) => (f.path === 'src/median.js' ? { ...f, additions: 0 } : f)),
      }),
      'it says src/median.js (added, +0 -0), git says src/median.js (added, +1 -0)',
    ],
    [
      'a commit left out',
      (b) => ({ ...b, commits: b.commits.slice(1) }),
      'implementation.json lists commits',
    ],
    [
      'another base (so the diff the verifier reads starts later)',
      (b) => ({ ...b, baseSha: b.commits[0]?.sha ?? '' }),
      'but the phase ran from',
    ],
  ])('refuses an artifact with %s', async (_, tamper, message) => {
    const c = await implemented();
    await expect(checkImplementationFacts(c.cwd, tamper(c.body), c)).rejects.toThrow(message);
    await expect(checkImplementationFacts(c.cwd, tamper(c.body), c)).rejects.toMatchObject({
      name: 'AgentOutputRefusal',
    });
  });
});
