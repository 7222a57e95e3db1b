import { createEditFileTool } from './edit-file.ts';
import { createListFilesTool } from './list-files.ts';
import { createReadFileTool } from './read-file.ts';
import { createRunCommandTool } from './run-command.ts';
import { createSearchTool } from './search.ts';
import type { Workspace } from './workspace.ts';
import { createWriteFileTool } from './write-file.ts';

export { buildCommandEnv, COMMAND_ENV_ALLOWLIST, isDeniedEnvName, secretEnvValues } from './command-env.ts';
export { FILE_WRITE_TOOL_NAMES, READ_ONLY_TOOL_NAMES, TOOL_NAMES, type ToolName } from './tool-names.ts';
export {
  createWorkspace,
  PathRefusedError,
  resolveInWorkspace,
  type Workspace,
  type WorkspaceOptions,
} from './workspace.ts';
export {
  createEditFileTool,
  createListFilesTool,
  createReadFileTool,
  createRunCommandTool,
  createSearchTool,
  createWriteFileTool,
};

/** Any of the workspace tools, as the SDK's tool runner accepts them. */
export type WorkspaceTool =
  | ReturnType<typeof createReadFileTool>
  | ReturnType<typeof createListFilesTool>
  | ReturnType<typeof createSearchTool>
  | ReturnType<typeof createWriteFileTool>
  | ReturnType<typeof createEditFileTool>
  | ReturnType<typeof createRunCommandTool>;

export interface ToolSelection {
  /** Add write_file and edit_file. */
  write: boolean;
  /** Add run_command. Default: same as `write` (verification may want commands without file edits). */
  commands?: boolean;
}

/** The tools for one phase: always the read-only ones, then file writes and commands as selected. */
export function createTools(ws: Workspace, selection: ToolSelection): WorkspaceTool[] {
  const tools: WorkspaceTool[] = [createReadFileTool(ws), createListFilesTool(ws), createSearchTool(ws)];
  if (selection.write) tools.push(createWriteFileTool(ws), createEditFileTool(ws));
  if (selection.commands ?? selection.write) tools.push(createRunCommandTool(ws));
  return tools;
}
