import { betaZodTool } from '@anthropic-ai/sdk/helpers/beta/zod';
import { z } from 'zod';
import { keepField } from '../context/keep-field.ts';
import { TOOL_NAMES } from './tool-names.ts';
import { walkFiles } from './walk-files.ts';
import type { Workspace } from './workspace.ts';

/** At most this many paths are returned; the rest are counted. */
export const MAX_LISTED_FILES = 500;

const inputSchema = z.object({
  keep: keepField(),
  glob: z.string().describe('Glob relative to `path`, e.g. "src/**/*.ts". Default "**/*".').optional(),
  path: z
    .string()
    .describe('Directory to list, relative to the workspace root. Default: the root.')
    .optional(),
});

export type ListFilesInput = z.infer<typeof inputSchema>;

/** `list_files`: workspace files matching a glob, sorted, honouring .gitignore. */
export function createListFilesTool(ws: Workspace) {
  return betaZodTool({
    name: TOOL_NAMES.listFiles,
    description:
      'List files in the workspace matching a glob. Paths are relative to the workspace root and sorted. ' +
      'Files ignored by .gitignore, .git/ and node_modules/ are left out; symbolic links are not followed. ' +
      `At most ${MAX_LISTED_FILES} paths are shown.`,
    inputSchema,
    run: async (input) => {
      const files = await walkFiles(ws, { glob: input.glob ?? '**/*', dir: input.path });
      if (files.length === 0) return `No files match ${JSON.stringify(input.glob ?? '**/*')}.`;
      const shown = files.slice(0, MAX_LISTED_FILES);
      const more = files.length - shown.length;
      return more > 0 ? `${shown.join('\n')}\n… ${more} more (narrow the glob or path)` : shown.join('\n');
    },
  });
}
