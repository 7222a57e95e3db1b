import { betaZodTool } from '@anthropic-ai/sdk/helpers/beta/zod';
import { ToolError } from '@anthropic-ai/sdk/lib/tools/ToolError';
import { z } from 'zod';
import { clipText, readTextFile } from './file-text.ts';
import { splitLines } from './read-file.ts';
import { TOOL_NAMES } from './tool-names.ts';
import { walkFiles } from './walk-files.ts';
import type { Workspace } from './workspace.ts';

/** The search stops after this many matching lines. */
export const MAX_SEARCH_MATCHES = 200;
/** Larger files are skipped: they are data or bundles, rarely what the model is looking for. */
export const MAX_SEARCH_FILE_BYTES = 1024 * 1024;
/** A matching line is shown up to this many characters. */
const MAX_MATCH_LINE_CHARS = 300;

const inputSchema = z.object({
  pattern: z.string().min(1).describe('JavaScript regular expression, matched against each line.'),
  glob: z
    .string()
    .describe('Only search files matching this glob, e.g. "src/**/*.ts". Default "**/*".')
    .optional(),
  caseSensitive: z.boolean().describe('Default true.').optional(),
});

export type SearchInput = z.infer<typeof inputSchema>;

/** `search`: lines matching a regular expression across workspace text files (binary and ignored files skipped). */
export function createSearchTool(ws: Workspace) {
  return betaZodTool({
    name: TOOL_NAMES.search,
    description:
      'Search workspace text files for a JavaScript regular expression, line by line. Returns "path:line: text" ' +
      `for up to ${MAX_SEARCH_MATCHES} matching lines. Binary files, files over 1 MiB, .gitignored files, ` +
      '.git/ and node_modules/ are skipped.',
    inputSchema,
    run: async (input) => {
      const regex = compile(input);
      const files = await walkFiles(ws, { glob: input.glob ?? '**/*' });
      const matches: string[] = [];
      for (const file of files) {
        const lines = await readSearchable(ws, file);
        for (const [index, line] of lines.entries()) {
          if (!regex.test(line)) continue;
          if (matches.length === MAX_SEARCH_MATCHES) {
            matches.push(`… stopped after ${MAX_SEARCH_MATCHES} matches (narrow the pattern or glob)`);
            return matches.join('\n');
          }
          matches.push(`${file}:${index + 1}: ${clipText(line, MAX_MATCH_LINE_CHARS)}`);
        }
      }
      if (matches.length === 0) return `No matches for /${input.pattern}/ in ${files.length} files.`;
      return matches.join('\n');
    },
  });
}

function compile(input: SearchInput): RegExp {
  try {
    return new RegExp(input.pattern, input.caseSensitive === false ? 'i' : '');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ToolError(`Invalid regular expression ${JSON.stringify(input.pattern)}: ${reason}`);
  }
}

async function readSearchable(ws: Workspace, file: string): Promise<string[]> {
  try {
    return splitLines((await readTextFile(ws, file, MAX_SEARCH_FILE_BYTES)).text);
  } catch {
    // Binary, too large, vanished or swapped for a link since the walk: not searchable, and not worth an error.
    return [];
  }
}
