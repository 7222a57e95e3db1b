import { readFileSync } from 'node:fs';

/**
 * When `pid` started (field 22 of `/proc/<pid>/stat`, clock ticks since boot), or undefined where there is no
 * `/proc`. Recorded beside a pid so a pid the kernel has since given to another process is not taken for ours.
 */
export function processStart(pid: number): string | undefined {
  const stat = readStat(pid);
  // Fields after `pid (comm) `; comm may hold spaces and parentheses, so split after the last `)`.
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

/** Whether `pid` is a live process (not a zombie) that started at `start`, when that is known. */
export function processAlive(pid: number, start?: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = readStat(pid);
  if (stat === undefined) return true;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // A zombie has ended; only its parent has not collected it yet (a container without an init never does).
  if (fields[0] === 'Z' || fields[0] === 'X') return false;
  return start === undefined || fields[19] === start;
}

function readStat(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
}
