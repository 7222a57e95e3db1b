import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BetaRunnableTool, RunnableToolOutcome } from '@anthropic-ai/sdk/lib/tools/BetaRunnableTool';
import { runRunnableTool } from '@anthropic-ai/sdk/lib/tools/BetaRunnableTool';
import {
  createWorkspace,
  type Workspace,
  type WorkspaceOptions,
} from '../../../src/agent/tools/workspace.ts';

export const OUTSIDE_SECRET = 'outside-secret-content';

export interface Fixture {
  /** Temp dir holding both the workspace and a sibling directory outside it. */
  base: string;
  /** Real path of the workspace root. */
  root: string;
  /** Real path of a directory outside the workspace, holding `secret.txt`. */
  outside: string;
  ws: Workspace;
}

/**
 * A workspace with a few files, plus the traps every escape test needs: `linkdir` (a symlink to a directory
 * outside), `linkfile` (a symlink to a file outside), `dangling` (a symlink to a missing file outside) and
 * `inlink` (a symlink to a file inside, which is allowed).
 */
export async function makeFixture(options: WorkspaceOptions = {}): Promise<Fixture> {
  const base = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'ipo-tools-')));
  const root = path.join(base, 'ws');
  const outside = path.join(base, 'outside');
  await fs.mkdir(path.join(root, 'src'), { recursive: true });
  await fs.mkdir(outside);
  await fs.writeFile(path.join(outside, 'secret.txt'), `${OUTSIDE_SECRET}\n`);
  await fs.writeFile(path.join(root, 'src', 'a.ts'), 'export const a = 1;\nexport const b = 2;\n');
  await fs.writeFile(path.join(root, 'README.md'), '# Demo\n');
  await fs.mkdir(path.join(root, '.git'));
  await fs.writeFile(path.join(root, '.git', 'config'), '[core]\n');
  await fs.symlink(outside, path.join(root, 'linkdir'));
  await fs.symlink(path.join(outside, 'secret.txt'), path.join(root, 'linkfile'));
  await fs.symlink(path.join(outside, 'missing.txt'), path.join(root, 'dangling'));
  await fs.symlink('README.md', path.join(root, 'inlink'));
  const ws = await createWorkspace(root, options);
  return { base, root, outside, ws };
}

export async function removeFixture(fixture: Fixture | undefined): Promise<void> {
  if (fixture) await fs.rm(fixture.base, { recursive: true, force: true });
}

/** Runs a tool the way the SDK's tool runner does: parse, run, and anything thrown becomes `isError`. */
export function runTool(tool: BetaRunnableTool, input: unknown): Promise<RunnableToolOutcome> {
  const toolUse = { type: 'tool_use' as const, id: 'toolu_test', name: tool.name, input };
  return runRunnableTool(tool, input, { toolUse, toolUseBlock: toolUse });
}

/** The text of a tool outcome (all our tools answer with a string). */
export function outcomeText(outcome: RunnableToolOutcome): string {
  if (typeof outcome.content !== 'string') throw new Error('expected string content');
  return outcome.content;
}

/** `git` in `cwd`, failing loudly. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
