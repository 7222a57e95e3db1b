import { constants, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ToolError } from '@anthropic-ai/sdk/lib/tools/ToolError';
import { REFUSING_SANDBOX, type Sandbox } from '../../sandbox/sandbox.ts';

/** The directory the agent's tools are confined to, and the limits they run under. */
export interface Workspace {
  /** Real path (symlinks resolved) of the workspace root. */
  readonly root: string;
  /** The whole environment of `run_command`: nothing else from the parent process reaches it. */
  readonly commandEnv: Readonly<Record<string, string>>;
  /** How `run_command` runs: the OS sandbox the phase opened; without one, commands are refused. */
  readonly sandbox: Sandbox;
  /** Default and ceiling for one command's wall time. */
  readonly commandTimeoutMs: number;
  /** How much of a command's output (the tail) the model gets back. */
  readonly outputCapBytes: number;
  /** How much of a file `read_file` returns in one call. */
  readonly maxReadBytes: number;
}

export type WorkspaceOptions = Partial<Omit<Workspace, 'root'>>;

export const WORKSPACE_DEFAULTS = {
  commandTimeoutMs: 120_000,
  outputCapBytes: 32 * 1024,
  maxReadBytes: 64 * 1024,
} as const;

/** Builds a workspace rooted at the real path of `root` (which must be an existing directory). */
export async function createWorkspace(root: string, options: WorkspaceOptions = {}): Promise<Workspace> {
  const real = await fs.realpath(root);
  if (!(await fs.stat(real)).isDirectory()) throw new Error(`workspace root ${root} is not a directory`);
  return {
    root: real,
    commandEnv: options.commandEnv ?? {},
    sandbox: options.sandbox ?? REFUSING_SANDBOX,
    commandTimeoutMs: options.commandTimeoutMs ?? WORKSPACE_DEFAULTS.commandTimeoutMs,
    outputCapBytes: options.outputCapBytes ?? WORKSPACE_DEFAULTS.outputCapBytes,
    maxReadBytes: options.maxReadBytes ?? WORKSPACE_DEFAULTS.maxReadBytes,
  };
}

/** A path the agent asked for that the workspace will not serve; the message names the path and why. */
export class PathRefusedError extends ToolError {
  constructor(
    readonly requested: string,
    readonly reason: string,
  ) {
    super(`Refused path ${JSON.stringify(requested)}: ${reason}`);
    this.name = 'PathRefusedError';
  }
}

export interface ResolveOptions {
  forWrite?: boolean;
}

/**
 * The real absolute path for `p` inside the workspace, or a `PathRefusedError`. Relative paths are taken from the
 * root; the check is made on the path the kernel would reach (symlinks resolved), so a link that points outside is
 * refused whichever way it is used.
 */
export async function resolveInWorkspace(
  ws: Workspace,
  p: string,
  options: ResolveOptions = {},
): Promise<string> {
  if (p.includes('\0')) throw new PathRefusedError(p, 'contains a NUL byte');
  const lexical = path.resolve(ws.root, p);
  const lexicallyInside = isInside(ws.root, lexical);
  const outside = new PathRefusedError(p, `resolves outside the workspace (${lexical})`);
  // A relative path that climbs out is refused without looking at the filesystem. An absolute one may still name
  // the workspace through an alias of the root (macOS /var -> /private/var), so its real path decides.
  if (!lexicallyInside && !path.isAbsolute(p)) throw outside;
  if (options.forWrite && lexicallyInside) refuseGitMetadata(ws, p, lexical);
  let real: string;
  try {
    real = await realpathOfNearest(p, lexical);
  } catch (error) {
    throw lexicallyInside ? error : outside;
  }
  if (!isInside(ws.root, real)) {
    if (!lexicallyInside) throw outside;
    throw new PathRefusedError(
      p,
      `is a symbolic link (or under one) that points outside the workspace, to ${real}`,
    );
  }
  // Checked again on the real path: `docs -> .git` must not open a way into the repository's metadata.
  if (options.forWrite) refuseGitMetadata(ws, p, real);
  return real;
}

/** The path relative to the workspace root, as the model should name it. */
export function relativeToRoot(ws: Workspace, absolute: string): string {
  return path.relative(ws.root, absolute) || '.';
}

/** Whether `candidate` (absolute, normalised) is `root` or below it. */
export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

export interface OpenedFile {
  handle: FileHandle;
  /** Real absolute path that was opened. */
  real: string;
}

/**
 * Resolves and opens `p`, then checks the opened file is still the one the resolved path names. Between the check
 * and the open a directory on the way could be swapped for a symlink (a command left running can do that), so the
 * final component is opened without following links and the opened inode is compared with a fresh resolution.
 */
export async function openInWorkspace(
  ws: Workspace,
  p: string,
  flags: number,
  options: ResolveOptions = {},
): Promise<OpenedFile> {
  const real = await resolveInWorkspace(ws, p, options);
  let handle: FileHandle;
  try {
    handle = await fs.open(real, flags | constants.O_NOFOLLOW, 0o666);
  } catch (error) {
    throw describeFsError(p, error);
  }
  try {
    const again = await resolveInWorkspace(ws, p, options);
    const [opened, named] = await Promise.all([handle.stat(), fs.stat(again)]);
    if (again !== real || opened.ino !== named.ino || opened.dev !== named.dev) {
      throw new PathRefusedError(
        p,
        'changed while it was being opened (a symlink was swapped in); try again',
      );
    }
    return { handle, real };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** A filesystem error as a message the model can act on (it names the path, not our internals). */
export function describeFsError(p: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reasons: Record<string, string> = {
    ENOENT: 'does not exist',
    EISDIR: 'is a directory, not a file',
    ENOTDIR: 'has a file where a directory is expected',
    ELOOP: 'is a symbolic link (it is not followed here)',
    EACCES: 'is not accessible (permission denied)',
    EPERM: 'is not accessible (operation not permitted)',
  };
  const reason = code ? reasons[code] : undefined;
  if (reason) return new ToolError(`${JSON.stringify(p)} ${reason}`);
  return error instanceof Error ? error : new Error(String(error));
}

function refuseGitMetadata(ws: Workspace, p: string, absolute: string): void {
  // Any `.git` segment, any case: the repo's own, a submodule's, and a worktree's `.git` file. Writing hooks or
  // config there would run code or move refs outside the agent's reviewed changes. Lowercased for macOS/Windows.
  const segments = path.relative(ws.root, absolute).split(path.sep);
  if (segments.some((segment) => segment.toLowerCase() === '.git')) {
    throw new PathRefusedError(p, 'is repository metadata (.git); the agent may not write there');
  }
}

/**
 * Real path of `absolute`; for a path that does not exist yet, the real path of its nearest existing ancestor with
 * the missing tail appended. A dangling symlink on the way is refused: writing through it would create its target,
 * wherever that is.
 */
async function realpathOfNearest(requested: string, absolute: string): Promise<string> {
  const missing: string[] = [];
  let current = absolute;
  for (;;) {
    try {
      return path.join(await fs.realpath(current), ...missing);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw describeFsError(requested, error);
      if (await lstatOrNull(current)) {
        throw new PathRefusedError(
          requested,
          `goes through ${current}, a symbolic link whose target does not exist`,
        );
      }
      const parent = path.dirname(current);
      if (parent === current) throw describeFsError(requested, error);
      missing.unshift(path.basename(current));
      current = parent;
    }
  }
}

async function lstatOrNull(p: string): Promise<Stats | null> {
  try {
    return await fs.lstat(p);
  } catch {
    return null;
  }
}
