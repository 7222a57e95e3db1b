import { execFile } from 'node:child_process';
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DEMO_SCRIPT } from '../../src/cli/commands/demo.ts';
import { loadScript } from '../../src/replay/load-script.ts';
import type { ReplayScript } from '../../src/replay/script-schema.ts';

const exec = promisify(execFile);

const EXAMPLE = fileURLToPath(new URL('../../examples/demo-repo', import.meta.url));
const OVERLAY = fileURLToPath(new URL('../fixtures/deps-repo', import.meta.url));

/**
 * Fills `dir` with the demo repository made to need an install (test/fixtures/deps-repo): package-lock.json with a
 * devDependency from a tarball in vendor/, `npm test` = its `tiny-runner`, and no .gitignore. Offline by design.
 */
export async function writeDepsRepo(dir: string): Promise<string> {
  await cp(EXAMPLE, dir, { recursive: true });
  await rm(join(dir, '.gitignore'));
  await cp(OVERLAY, dir, { recursive: true, filter: (source) => source !== join(OVERLAY, 'README.md') });
  return dir;
}

/** The fixture as a git repository on `main` with one commit, as `ipo` finds a person's repository. */
export async function prepareDepsRepo(dir: string): Promise<void> {
  await writeDepsRepo(dir);
  const git = (args: string[]) => exec('git', args, { cwd: dir });
  await git(['init', '--quiet', '--initial-branch=main']);
  await git(['config', 'user.name', 'Deps Test']);
  await git(['config', 'user.email', 'deps-test@example.com']);
  await git(['add', '--all']);
  await git(['commit', '--quiet', '-m', 'tally 0.1 with a dev dependency']);
}

/**
 * The demo's replayed conversations, with the verification turn also expecting the set-up it was shown: the replay
 * refuses the request when the model was not told `npm ci` ran.
 */
export async function depsScript(): Promise<ReplayScript> {
  const script = await loadScript(DEMO_SCRIPT);
  const conversations = script.conversations.map((c) => {
    if (c.name !== 'verification') return c;
    const [first, ...rest] = c.turns;
    if (!first) return c;
    const expect = {
      ...first.expect,
      contains: [
        ...(first.expect?.contains ?? []),
        'Set-up run by the orchestrator first (auto: package-lock.json)',
      ],
    };
    return { ...c, turns: [{ ...first, expect }, ...rest] };
  });
  return { ...script, conversations };
}
