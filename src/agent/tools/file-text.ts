import { constants } from 'node:fs';
import { ToolError } from '@anthropic-ai/sdk/lib/tools/ToolError';
import { openInWorkspace, type Workspace } from './workspace.ts';

/** Files larger than this are not loaded at all: the tools page through text, they do not stream it. */
export const MAX_TEXT_FILE_BYTES = 8 * 1024 * 1024;

/** How many leading bytes are checked for a NUL, the same heuristic git uses to call a file binary. */
const BINARY_SNIFF_BYTES = 8000;

/** Whether `bytes` looks like a binary file (a NUL byte near the start). */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}

export interface TextFile {
  text: string;
  /** Real absolute path that was read. */
  real: string;
}

/** Reads a regular text file inside the workspace, refusing directories, binaries and very large files. */
export async function readTextFile(
  ws: Workspace,
  p: string,
  maxBytes = MAX_TEXT_FILE_BYTES,
): Promise<TextFile> {
  // O_NONBLOCK: opening a FIFO someone left in the tree must not hang the loop; regular files ignore it.
  const { handle, real } = await openInWorkspace(ws, p, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = await handle.stat();
    if (stat.isDirectory())
      throw new ToolError(`${JSON.stringify(p)} is a directory; use list_files to see it`);
    if (!stat.isFile()) throw new ToolError(`${JSON.stringify(p)} is not a regular file`);
    if (stat.size > maxBytes) {
      throw new ToolError(
        `${JSON.stringify(p)} is ${stat.size} bytes, over the ${maxBytes}-byte limit for text files`,
      );
    }
    const bytes = await handle.readFile();
    if (looksBinary(bytes))
      throw new ToolError(`${JSON.stringify(p)} is a binary file; only text files are read`);
    return { text: bytes.toString('utf8'), real };
  } finally {
    await handle.close();
  }
}

/** `text` cut to at most `max` UTF-16 units without splitting a surrogate pair (a lone one fails the API request). */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
  return text.slice(0, end);
}
