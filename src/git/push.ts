import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSessionId } from '../core/session/session-id.ts';
import { GitError, git } from './git.ts';
import { revParse } from './repo.ts';

export interface PushBranchOptions {
  /** A work tree (or bare repository) holding `ref`. */
  cwd: string;
  /** The remote's `http(s)://` URL, without credentials: the token never goes into a URL. */
  remoteUrl: string;
  /** A GitHub token (installation or `GITHUB_TOKEN`) sent as git's basic `x-access-token` credentials. */
  token: string;
  /** What to push; `HEAD` by default. */
  ref?: string;
  /** The session whose branch, `refs/heads/ipo/<session>`, is updated: the only ref ipo ever pushes. */
  session: string;
  /** Allow a non-fast-forward update, but only while the remote branch is still at `expectedSha`. */
  force?: { expectedSha: string };
}

const REDACTED = '[REDACTED]';

/**
 * Pushes `ref` to `refs/heads/ipo/<session>` on `remoteUrl` and returns the pushed sha. The push runs from a bare
 * repository ipo creates for it (no hooks, no config but its own) that borrows the workspace's objects through
 * `objects/info/alternates`: the workspace's `.git/config` and hooks are the agent's to write, and a `pre-push` hook,
 * `url.*.insteadOf`, `http.proxy` or `http.sslCAInfo` there would see or redirect the token. The token travels only
 * in an `http.<remoteUrl>.extraHeader` in git's environment (never argv, which `/proc` shows every process). A
 * rejected or failed push throws `GitError` with the token and its encoded header redacted from the message.
 */
export async function pushBranch(options: PushBranchOptions): Promise<string> {
  const { cwd, remoteUrl, token, force } = options;
  checkRemoteUrl(remoteUrl);
  const destination = sessionRef(options.session);
  if (token === '' || /\s/.test(token)) throw new Error('push: the token is empty or contains whitespace');
  const sha = await revParse(cwd, options.ref ?? 'HEAD');
  const encoded = Buffer.from(`x-access-token:${token}`).toString('base64');
  // URL-scoped, and reset first: should a config file name a header for this URL after all, git sends the most
  // specific match, so a plain `http.extraHeader` would lose to it.
  const header = `http.${remoteUrl}.extraHeader`;
  const args = [
    'push',
    ...(force ? [`--force-with-lease=${destination}:${force.expectedSha}`] : []),
    '--',
    remoteUrl,
    `${sha}:${destination}`,
  ];
  const pusher = await pushRepository(cwd);
  try {
    await git(pusher, args, {
      config: [
        [header, ''],
        [header, `AUTHORIZATION: basic ${encoded}`],
      ],
    });
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    const redact = (text: string) => text.replaceAll(encoded, REDACTED).replaceAll(token, REDACTED);
    throw new GitError(error.args.map(redact), redact(error.stderr), error.exitCode);
  } finally {
    await rm(pusher, { recursive: true, force: true });
  }
  return sha;
}

/**
 * A fresh bare repository that sees `cwd`'s objects and nothing else of it. `--template=` copies no sample hooks;
 * its config is the one `git init` writes. Objects are data: reading them runs nothing.
 */
async function pushRepository(cwd: string): Promise<string> {
  const objects = join(
    (await git(cwd, ['rev-parse', '--path-format=absolute', '--git-common-dir'])).trim(),
    'objects',
  );
  const dir = await mkdtemp(join(tmpdir(), 'ipo-push-'));
  try {
    await git(dir, ['init', '--quiet', '--bare', '--template=']);
    await writeFile(join(dir, 'objects', 'info', 'alternates'), `${objects}\n`);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return dir;
}

/**
 * The one destination ipo pushes to. The session id comes from the dispatch, and the state it is checked against
 * from an artifact; a destination built from anything looser could force-push the default branch (`main`), a tag,
 * or several refs at once (`a:b`), so anything but a well-formed session id is refused before git runs.
 */
function sessionRef(session: string): string {
  if (parseSessionId(session) === null) {
    throw new Error(
      `push: "${session}" is not a session id (phase-X.Y-YYYYMMDD): ipo pushes only refs/heads/ipo/<session>`,
    );
  }
  // A session id holds only a task id's digits and dots, a date and a sequence: nothing git reads as a refspec.
  return `refs/heads/ipo/${session}`;
}

/** Only plain http(s) URLs: no userinfo (a token there would leak into logs), nothing git could take as an option. */
function checkRemoteUrl(remoteUrl: string): void {
  let url: URL;
  try {
    url = new URL(remoteUrl);
  } catch {
    throw new Error('push: the remote URL is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`push: the remote URL must be http(s), got ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new Error('push: the remote URL must not carry credentials; pass the token separately');
  }
  // `-c name=value` splits at the first `=`, so one in the URL would cut the config key short.
  if (/[=\s]/.test(remoteUrl)) throw new Error('push: the remote URL must not contain "=" or whitespace');
}
