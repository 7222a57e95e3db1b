/** The names the model calls the workspace tools by. */
export const TOOL_NAMES = {
  readFile: 'read_file',
  listFiles: 'list_files',
  search: 'search',
  writeFile: 'write_file',
  editFile: 'edit_file',
  runCommand: 'run_command',
} as const;

export type ToolName = (typeof TOOL_NAMES)[keyof typeof TOOL_NAMES];

/** Tools that never change the workspace. */
export const READ_ONLY_TOOL_NAMES = [TOOL_NAMES.readFile, TOOL_NAMES.listFiles, TOOL_NAMES.search] as const;

/** Tools that change files. */
export const FILE_WRITE_TOOL_NAMES = [TOOL_NAMES.writeFile, TOOL_NAMES.editFile] as const;
