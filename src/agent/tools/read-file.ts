import { betaZodTool } from '@anthropic-ai/sdk/helpers/beta/zod';
import { ToolError } from '@anthropic-ai/sdk/lib/tools/ToolError';
import { z } from 'zod';
import { keepField } from '../context/keep-field.ts';
import { clipText, readTextFile } from './file-text.ts';
import { TOOL_NAMES } from './tool-names.ts';
import type { Workspace } from './workspace.ts';

/** Longer lines (minified code, data) are cut so one line cannot use up the whole read. */
export const MAX_LINE_CHARS = 2000;

const inputSchema = z.object({
  keep: keepField(),
  path: z.string().describe('File path, relative to the workspace root.'),
  startLine: z.number().int().min(1).describe('First line to return (1-based). Default 1.').optional(),
  endLine: z
    .number()
    .int()
    .min(1)
    .describe('Last line to return (inclusive). Default: end of file.')
    .optional(),
});

export type ReadFileInput = z.infer<typeof inputSchema>;

/** `read_file`: a text file's lines, numbered like `cat -n`, within the workspace's read cap. */
export function createReadFileTool(ws: Workspace) {
  return betaZodTool({
    name: TOOL_NAMES.readFile,
    description:
      'Read a text file in the workspace. Returns numbered lines ("<number>\\t<text>"); the numbers are not part ' +
      'of the file. Long output is cut at a line boundary with a note saying where to continue. Binary files ' +
      'are refused.',
    inputSchema,
    run: async (input) => {
      const { text } = await readTextFile(ws, input.path);
      return formatLines(input, splitLines(text), ws.maxReadBytes);
    },
  });
}

/** Splits file text into lines; a final newline does not make an extra empty line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function formatLines(input: ReadFileInput, lines: string[], maxBytes: number): string {
  if (lines.length === 0) return `(${input.path} is empty)`;
  const start = input.startLine ?? 1;
  const end = Math.min(input.endLine ?? lines.length, lines.length);
  if (start > lines.length) {
    throw new ToolError(`startLine ${start} is past the end of ${input.path} (${lines.length} lines)`);
  }
  if (end < start) throw new ToolError(`endLine ${end} is before startLine ${start}`);

  const out: string[] = [];
  let bytes = 0;
  let line = start;
  for (; line <= end; line += 1) {
    const formatted = `${String(line).padStart(6)}\t${clipLine(lines[line - 1] ?? '')}`;
    bytes += Buffer.byteLength(formatted) + 1;
    if (bytes > maxBytes && out.length > 0) break;
    out.push(formatted);
  }
  const last = line - 1;
  if (last < end) {
    out.push(
      `[output capped at ${maxBytes} bytes: showed lines ${start}-${last} of ${lines.length}; ` +
        `call read_file with startLine=${last + 1} to continue]`,
    );
  } else if (start > 1 || end < lines.length) {
    out.push(`[lines ${start}-${end} of ${lines.length}]`);
  }
  return out.join('\n');
}

function clipLine(line: string): string {
  if (line.length <= MAX_LINE_CHARS) return line;
  return `${clipText(line, MAX_LINE_CHARS)}… [line cut: ${line.length - MAX_LINE_CHARS} more characters]`;
}
