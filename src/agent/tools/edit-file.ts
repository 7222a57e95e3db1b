import { betaZodTool } from '@anthropic-ai/sdk/helpers/beta/zod';
import { ToolError } from '@anthropic-ai/sdk/lib/tools/ToolError';
import { z } from 'zod';
import { readTextFile } from './file-text.ts';
import { TOOL_NAMES } from './tool-names.ts';
import { relativeToRoot, resolveInWorkspace, type Workspace } from './workspace.ts';
import { writeWorkspaceFile } from './write-file.ts';

const inputSchema = z.object({
  path: z.string().describe('File path, relative to the workspace root.'),
  oldString: z.string().describe('Exact text to replace, including whitespace and indentation.'),
  newString: z.string().describe('Text to put in its place.'),
  replaceAll: z
    .boolean()
    .describe('Replace every occurrence. Default false: oldString must be unique.')
    .optional(),
});

export type EditFileInput = z.infer<typeof inputSchema>;

/** `edit_file`: exact string replacement in one file; refuses a missing or ambiguous `oldString`. */
export function createEditFileTool(ws: Workspace) {
  return betaZodTool({
    name: TOOL_NAMES.editFile,
    description:
      'Replace an exact piece of text in a file. oldString must occur exactly once unless replaceAll is true; ' +
      'copy it from read_file output without the line-number prefix.',
    inputSchema,
    run: async (input) => {
      // Refuse .git and outside paths before reading anything.
      const real = await resolveInWorkspace(ws, input.path, { forWrite: true });
      const name = relativeToRoot(ws, real);
      if (input.oldString === '')
        throw new ToolError('oldString is empty; use write_file to create or fill a file');
      if (input.oldString === input.newString) throw new ToolError('oldString and newString are identical');
      const { text } = await readTextFile(ws, input.path);
      const parts = text.split(input.oldString);
      const count = parts.length - 1;
      if (count === 0) {
        throw new ToolError(
          `oldString was not found in ${name}; read the file again and copy the text exactly (whitespace matters)`,
        );
      }
      if (count > 1 && !input.replaceAll) {
        throw new ToolError(
          `oldString occurs ${count} times in ${name}; include more surrounding text to make it unique, ` +
            'or set replaceAll to true',
        );
      }
      // split/join rather than String.replace: `$&` and friends in newString must stay literal.
      const updated = input.replaceAll
        ? parts.join(input.newString)
        : `${parts[0]}${input.newString}${parts.slice(1).join(input.oldString)}`;
      await writeWorkspaceFile(ws, input.path, updated);
      return `Replaced ${count} occurrence${count === 1 ? '' : 's'} in ${name}.`;
    },
  });
}
