/** An open fenced code block: its marker character and how long its opening run was. */
export interface Fence {
  readonly marker: '`' | '~';
  readonly length: number;
}

// A backtick fence's info string may not contain a backtick (otherwise the line is inline code).
const FENCE_OPEN = /^ {0,3}(?:(`{3,})[^`]*|(~{3,}).*)$/;
const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;

/** The fence `line` opens (CommonMark: up to three spaces, three or more ``` ` ``` or `~`), or null. */
export function openFence(line: string): Fence | null {
  const match = FENCE_OPEN.exec(line);
  const run = match?.[1] ?? match?.[2];
  if (run === undefined) return null;
  return { marker: run.startsWith('~') ? '~' : '`', length: run.length };
}

/** Whether `line` closes `fence`: the same marker, at least as long, nothing after it. */
export function closesFence(line: string, fence: Fence): boolean {
  const run = FENCE_CLOSE.exec(line)?.[1] ?? '';
  return run.startsWith(fence.marker) && run.length >= fence.length;
}
