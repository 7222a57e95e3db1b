import { betaZodTool } from '@anthropic-ai/sdk/helpers/beta/zod';
import { ToolError } from '@anthropic-ai/sdk/lib/tools/ToolError';
import { z } from 'zod';
import { keepField } from '../context/keep-field.ts';
import { clipText, readTextFile } from './file-text.ts';
import { type FileText, MatchTimeoutError, startLineMatcher } from './line-matcher.ts';
import { TOOL_NAMES } from './tool-names.ts';
import { walkFiles } from './walk-files.ts';
import type { Workspace } from './workspace.ts';

/** The search stops after this many matching lines. */
export const MAX_SEARCH_MATCHES = 200;
/** Larger files are skipped: they are data or bundles, rarely what the model is looking for. */
export const MAX_SEARCH_FILE_BYTES = 1024 * 1024;
/** A matching line is shown up to this many characters. */
const MAX_MATCH_LINE_CHARS = 300;
/** Default time limit of the matching in one search: far more than any sane pattern needs on a repository. */
export const SEARCH_TIMEOUT_MS = 5000;
/** Files are handed to the matching worker in batches of about this many characters (few round trips, bounded memory). */
const BATCH_CHARS = 4 * 1024 * 1024;

const inputSchema = z.object({
  keep: keepField(),
  pattern: z.string().min(1).describe('JavaScript regular expression, matched against each line.'),
  glob: z
    .string()
    .describe('Only search files matching this glob, e.g. "src/**/*.ts". Default "**/*".')
    .optional(),
  caseSensitive: z.boolean().describe('Default true.').optional(),
});

export type SearchInput = z.infer<typeof inputSchema>;

export interface SearchToolOptions {
  /** Time limit of the regular-expression matching of one search. Default `SEARCH_TIMEOUT_MS`. */
  timeoutMs?: number;
}

/** `search`: lines matching a regular expression across workspace text files (binary and ignored files skipped). */
export function createSearchTool(ws: Workspace, options: SearchToolOptions = {}) {
  const timeoutMs = options.timeoutMs ?? SEARCH_TIMEOUT_MS;
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
      // The pattern comes from the model: it is matched in a worker that is killed at the time limit.
      const matcher = startLineMatcher(regex, { timeoutMs, maxLineChars: MAX_MATCH_LINE_CHARS });
      const matches: string[] = [];
      try {
        for await (const batch of readBatches(ws, files)) {
          const found = await matcher.match(batch, MAX_SEARCH_MATCHES + 1 - matches.length);
          for (const m of found)
            matches.push(`${m.path}:${m.line}: ${clipText(m.text, MAX_MATCH_LINE_CHARS)}`);
          if (matches.length > MAX_SEARCH_MATCHES) {
            matches.length = MAX_SEARCH_MATCHES;
            matches.push(`… stopped after ${MAX_SEARCH_MATCHES} matches (narrow the pattern or glob)`);
            return matches.join('\n');
          }
        }
      } catch (error) {
        if (!(error instanceof MatchTimeoutError)) throw error;
        throw new ToolError(
          `search timed out after ${timeoutMs / 1000} s: the pattern may backtrack catastrophically; simplify it`,
        );
      } finally {
        await matcher.close();
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

/** The searchable files' texts, in walk order, grouped into batches of about `BATCH_CHARS`. */
async function* readBatches(ws: Workspace, files: readonly string[]): AsyncGenerator<FileText[]> {
  let batch: FileText[] = [];
  let chars = 0;
  for (const file of files) {
    const text = await readSearchable(ws, file);
    if (text === '') continue;
    batch.push({ path: file, text });
    chars += text.length;
    if (chars >= BATCH_CHARS) {
      yield batch;
      batch = [];
      chars = 0;
    }
  }
  if (batch.length > 0) yield batch;
}

async function readSearchable(ws: Workspace, file: string): Promise<string> {
  try {
    return (await readTextFile(ws, file, MAX_SEARCH_FILE_BYTES)).text;
  } catch {
    // Binary, too large, vanished or swapped for a link since the walk: not searchable, and not worth an error.
    return '';
  }
}
