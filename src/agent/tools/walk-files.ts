import path from 'node:path';
import { ToolError } from '@anthropic-ai/sdk/lib/tools/ToolError';
import ignore, { type Ignore } from 'ignore';
import { glob } from 'tinyglobby';
import { readTextFile } from './file-text.ts';
import { relativeToRoot, resolveInWorkspace, type Workspace } from './workspace.ts';

/** Never listed or searched, whatever .gitignore says: repository metadata and installed dependencies. */
const ALWAYS_SKIPPED = ['**/.git', '**/.git/**', '**/node_modules/**'];

export interface WalkOptions {
  /** Glob relative to `dir`. */
  glob: string;
  /** Directory to start from, relative to the workspace root. Default: the root. */
  dir?: string;
}

/**
 * Files in the workspace matching a glob, as sorted root-relative POSIX paths, with .gitignore rules applied.
 * Symbolic links are not followed: a link in the tree could lead the walk outside the workspace (or round in a loop).
 */
export async function walkFiles(ws: Workspace, options: WalkOptions): Promise<string[]> {
  refuseEscapingGlob(options.glob);
  const start = await resolveInWorkspace(ws, options.dir ?? '.');
  const base = toPosix(relativeToRoot(ws, start));
  const crawl = { dot: true, followSymbolicLinks: false, ignore: ALWAYS_SKIPPED } as const;
  const [matches, gitignores] = await Promise.all([
    glob(options.glob, { ...crawl, cwd: start }),
    glob('**/.gitignore', { ...crawl, cwd: ws.root }),
  ]);
  const rules = await loadGitignoreRules(ws, gitignores);
  return matches
    .map((entry) => (base === '.' ? entry : `${base}/${entry}`))
    .filter((rel) => !rules.ignores(rel))
    .sort();
}

function refuseEscapingGlob(pattern: string): void {
  // tinyglobby happily walks `../**` or `/etc/*`; the walk must stay under the root.
  if (pattern.includes('\0') || path.posix.isAbsolute(pattern) || pattern.split(/[/\\]/).includes('..')) {
    throw new ToolError(
      `glob ${JSON.stringify(pattern)} must be relative and may not contain ".." (use the path argument to pick a directory)`,
    );
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** .gitignore files from every directory, applied the way git does: deeper files win, ignored directories stay ignored. */
export class GitignoreRules {
  private readonly dirCache = new Map<string, boolean>();

  /** `byDir` maps a root-relative directory ('' for the root) to the rules of its .gitignore. */
  constructor(private readonly byDir: ReadonlyMap<string, Ignore>) {}

  /** Whether the root-relative file path `rel` is ignored. */
  ignores(rel: string): boolean {
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i += 1) {
      if (this.dirIgnored(parts.slice(0, i).join('/'))) return true;
    }
    return this.matches(rel, false);
  }

  private dirIgnored(dir: string): boolean {
    let cached = this.dirCache.get(dir);
    if (cached === undefined) {
      cached = this.matches(dir, true);
      this.dirCache.set(dir, cached);
    }
    return cached;
  }

  private matches(rel: string, isDir: boolean): boolean {
    let ignored = false;
    const parts = rel.split('/');
    for (let depth = 0; depth < parts.length; depth += 1) {
      const dir = parts.slice(0, depth).join('/');
      const rules = this.byDir.get(dir);
      if (!rules) continue;
      const sub = parts.slice(depth).join('/');
      const result = rules.test(isDir ? `${sub}/` : sub);
      if (result.ignored) ignored = true;
      else if (result.unignored) ignored = false;
    }
    return ignored;
  }
}

async function loadGitignoreRules(ws: Workspace, files: string[]): Promise<GitignoreRules> {
  const byDir = new Map<string, Ignore>();
  for (const file of files) {
    try {
      const { text } = await readTextFile(ws, file);
      const dir = path.posix.dirname(file);
      byDir.set(dir === '.' ? '' : dir, ignore().add(text));
    } catch {
      // An unreadable .gitignore hides nothing; listing more is the safe side here.
    }
  }
  return new GitignoreRules(byDir);
}
