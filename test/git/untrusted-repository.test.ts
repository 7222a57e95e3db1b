import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commitAll, filesChanged, squash } from '../../src/git/commits.ts';
import { git } from '../../src/git/git.ts';
import { pushBranch } from '../../src/git/push.ts';
import { addDetachedWorktree, removeWorktree } from '../../src/git/worktree.ts';
import { type LocalGitHub, startLocalGitHub } from '../support/github/local-github.ts';
import { localOctokit } from '../support/github/local-octokit.ts';

const TOKEN = 'ghs_untrusted_repo_token_0123456789';
const repo = { owner: 'octo', repo: 'demo' };
const IDENTITY = { name: 'ipo', email: 'ipo@example.com' };
const basic = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');
const plainGit = promisify(execFile);

/**
 * What the agent (or a test script it wrote) can plant in its workspace: each trap, if git ever ran it, writes a
 * mark holding its argv, its environment and its parent's command line, so a run of it is seen and so is any token.
 */
interface Trap {
  plant(dir: string, trap: string): Promise<void>;
  /** Plain git (none of ipo's settings) that does run the trap: proof the trap is live, so its absence means something. */
  live: (url: string) => string[];
}

const hook = async (hooksDir: string, trap: string, names: string[]) => {
  await mkdir(hooksDir, { recursive: true });
  for (const name of names) {
    await writeFile(join(hooksDir, name), `#!/bin/sh\nexec sh ${trap} hook-${name} "$@"\n`);
    await chmod(join(hooksDir, name), 0o755);
  }
};
const config = async (dir: string, key: string, value: string) => {
  await git(dir, ['config', key, value]);
};
const HOOKS = [
  'pre-commit',
  'commit-msg',
  'post-commit',
  'pre-push',
  'post-checkout',
  'reference-transaction',
];
const commitArgs = [
  '-c',
  'user.name=x',
  '-c',
  'user.email=x@example.com',
  'commit',
  '--allow-empty',
  '-m',
  'x',
];

const TRAPS: Record<string, Trap> = {
  'hooks in .git/hooks': {
    plant: (dir, trap) => hook(join(dir, '.git', 'hooks'), trap, HOOKS),
    live: () => commitArgs,
  },
  'core.hooksPath naming a directory of hooks in the workspace': {
    plant: async (dir, trap) => {
      await hook(join(dir, 'tools', 'hooks'), trap, HOOKS);
      await config(dir, 'core.hooksPath', 'tools/hooks');
    },
    live: () => commitArgs,
  },
  'a required clean/smudge filter on every file': {
    plant: async (dir, trap) => {
      await writeFile(join(dir, '.gitattributes'), '* filter=evil\n');
      await config(dir, 'filter.evil.clean', `sh ${trap} clean`);
      await config(dir, 'filter.evil.smudge', `sh ${trap} smudge`);
      await config(dir, 'filter.evil.required', 'true');
    },
    live: () => ['add', '--all'],
  },
  'a filter driver defined in a file that .git/config includes': {
    plant: async (dir, trap) => {
      await writeFile(join(dir, '.gitattributes'), '*.txt filter=Sneaky\n');
      await writeFile(join(dir, 'extra.cfg'), `[filter "Sneaky"]\n\tclean = sh ${trap} clean\n\trequired\n`);
      await config(dir, 'include.path', '../extra.cfg');
    },
    live: () => ['add', '--all'],
  },
  'core.fsmonitor naming a program': {
    plant: (dir, trap) => config(dir, 'core.fsmonitor', `sh ${trap} fsmonitor`),
    live: () => ['status', '--porcelain'],
  },
  'diff.external and a textconv diff driver': {
    plant: async (dir, trap) => {
      await writeFile(join(dir, '.gitattributes'), '* diff=evil\n');
      await config(dir, 'diff.external', `sh ${trap} diff-external`);
      await config(dir, 'diff.evil.textconv', `sh ${trap} textconv`);
    },
    live: () => ['diff', 'HEAD~1', 'HEAD'],
  },
  'a credential helper': {
    plant: (dir, trap) => config(dir, 'credential.helper', `!sh ${trap} credential`),
    live: (url) => ['push', url, 'HEAD:refs/heads/trap-live'],
  },
  'a pushInsteadOf that sends the push elsewhere': {
    plant: (dir, trap) => config(dir, `url.ext::sh ${trap} insteadof %S .pushInsteadOf`, 'http://'),
    live: (url) => ['-c', 'protocol.ext.allow=always', 'push', url, 'HEAD:refs/heads/trap-live'],
  },
};

describe('ipo’s git in a workspace the agent wrote', () => {
  let github: LocalGitHub;
  let octokit: Octokit;
  let work: string;
  let marks: string;
  let trapScript: string;
  let count = 0;

  beforeAll(async () => {
    github = await startLocalGitHub({ ...repo, tokens: [TOKEN] });
    octokit = localOctokit(github, TOKEN);
    work = await mkdtemp(join(tmpdir(), 'ipo-untrusted-repo-'));
    trapScript = join(work, 'trap.sh');
  });

  beforeEach(async () => {
    count += 1;
    marks = join(work, `marks-${count}`);
    await mkdir(marks);
    await writeFile(
      trapScript,
      [
        '#!/bin/sh',
        'name=$1; shift',
        `{ echo "argv: $*"; env; echo "parent: $(tr '\\0' ' ' < /proc/$PPID/cmdline)"; } > "${marks}/$name"`,
        // A clean or smudge filter must pass the content through; the rest may print nothing.
        'case "$name" in clean|smudge) exec cat ;; esac',
        'exit 0',
        '',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await github.close();
    await rm(work, { recursive: true, force: true });
  });

  async function clone(): Promise<string> {
    const dir = join(work, `clone-${count}`);
    await git(work, ['clone', '--quiet', github.gitUrl(), dir]);
    return dir;
  }

  const marksLeft = async () => readdir(marks);

  it.each(Object.keys(TRAPS))(
    'with %s, commits, diffs, checks out and pushes without running it, and the push still lands',
    async (name) => {
      const trap = TRAPS[name] as Trap;
      const dir = await clone();
      const base = (await git(dir, ['rev-parse', 'HEAD'])).trim();
      await trap.plant(dir, trapScript);
      await writeFile(join(dir, 'work.txt'), 'the agent’s work\n');
      const session = `phase-7.${count}-20260101`;

      const first = await commitAll(dir, 'first', IDENTITY);
      await writeFile(join(dir, 'more.txt'), 'more\n');
      await commitAll(dir, 'second', IDENTITY);
      const head = await squash(dir, base, 'feat: the work', IDENTITY);
      const changes = await filesChanged(dir, base, head);
      const checkout = join(work, `checkout-${count}`);
      await addDetachedWorktree(dir, checkout, head);
      await removeWorktree(dir, checkout);
      const pushed = await pushBranch({ cwd: dir, remoteUrl: github.gitUrl(), token: TOKEN, session });

      expect(first).not.toBeNull();
      expect(changes.map((change) => change.path)).toEqual(expect.arrayContaining(['more.txt', 'work.txt']));
      expect(pushed).toBe(head);
      const { data } = await octokit.rest.git.getRef({ ...repo, ref: `heads/ipo/${session}` });
      expect(data.object.sha).toBe(head);
      expect(await marksLeft()).toEqual([]);

      // The same trap under plain git does run: the empty marks above are ipo's doing, not a dud trap.
      await writeFile(join(dir, 'live.txt'), 'live\n');
      await plainGit('git', trap.live(github.gitUrl()), {
        cwd: dir,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
      }).catch(() => undefined);
      expect(await marksLeft()).not.toEqual([]);
    },
  );

  it('keeps the push token out of every process’s command line while the push runs', async () => {
    const dir = await clone();
    await writeFile(join(dir, 'slow.txt'), 'slow\n');
    await commitAll(dir, 'slow', IDENTITY);
    // Hold the upload so the push's processes live long enough to be looked at.
    github.failNext({ method: 'POST', path: '/octo/demo.git/git-receive-pack', delayMs: 1500 });
    const push = pushBranch({
      cwd: dir,
      remoteUrl: github.gitUrl(),
      token: TOKEN,
      session: 'phase-7.99-20260101',
    });
    let done = false;
    void push.finally(() => {
      done = true;
    });

    const seen = new Set<string>();
    let gitSeen = 0;
    while (!done) {
      for (const pid of await readdir('/proc').catch(() => [])) {
        if (!/^\d+$/.test(pid)) continue;
        const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
        if (/(^|\/)git(-remote-https?)?\0/.test(cmdline) && cmdline.includes('phase-7.99')) gitSeen += 1;
        if (cmdline.includes(TOKEN) || cmdline.includes(basic)) seen.add(cmdline.replaceAll('\0', ' '));
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await push;

    expect(gitSeen).toBeGreaterThan(0);
    expect([...seen]).toEqual([]);
  });
});
