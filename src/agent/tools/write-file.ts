import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { betaZodTool } from '@anthropic-ai/sdk/helpers/beta/zod';
import { z } from 'zod';
import { TOOL_NAMES } from './tool-names.ts';
import {
  describeFsError,
  openInWorkspace,
  relativeToRoot,
  resolveInWorkspace,
  type Workspace,
} from './workspace.ts';

const inputSchema = z.object({
  path: z.string().describe('File path, relative to the workspace root. Missing directories are created.'),
  content: z.string().describe('The complete new content of the file.'),
});

export type WriteFileInput = z.infer<typeof inputSchema>;

/**
 * Flags for replacing a file's content; `openInWorkspace` adds O_NOFOLLOW. No O_TRUNC: the file is emptied only
 * after `openInWorkspace` has checked it is the file inside the workspace.
 */
export const WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT;

/** `write_file`: creates or overwrites a file inside the workspace (never under .git). */
export function createWriteFileTool(ws: Workspace) {
  return betaZodTool({
    name: TOOL_NAMES.writeFile,
    description:
      'Create a file, or overwrite it entirely, with the given content. Creates missing directories. Paths ' +
      'outside the workspace and under .git/ are refused. To change part of a file, prefer edit_file.',
    inputSchema,
    run: async (input) => {
      const real = await resolveInWorkspace(ws, input.path, { forWrite: true });
      const existed = await fs.lstat(real).then(
        () => true,
        () => false,
      );
      try {
        await fs.mkdir(path.dirname(real), { recursive: true });
      } catch (error) {
        throw describeFsError(input.path, error);
      }
      await writeWorkspaceFile(ws, input.path, input.content);
      const bytes = Buffer.byteLength(input.content);
      return `${existed ? 'Overwrote' : 'Created'} ${relativeToRoot(ws, real)} (${bytes} bytes).`;
    },
  });
}

/** Replaces the content of `p` (resolved and checked for writing) with `content`. */
export async function writeWorkspaceFile(ws: Workspace, p: string, content: string): Promise<void> {
  const { handle } = await openInWorkspace(ws, p, WRITE_FLAGS, { forWrite: true });
  try {
    await handle.truncate(0);
    await handle.writeFile(content, 'utf8');
  } finally {
    await handle.close();
  }
}
