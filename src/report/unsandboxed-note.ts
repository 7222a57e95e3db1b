import { inline } from './markdown.ts';
import type { PhaseFigures } from './status-report-schema.ts';

/**
 * The one sentence every surface (status comment, job summary, job log, `ipo status`) says about a phase whose
 * commands ran without the sandbox; undefined when they did not. Plain text: each renderer escapes it for its
 * medium (the reason quotes bwrap and names paths).
 */
export function unsandboxedNote(row: Pick<PhaseFigures, 'phase' | 'unsandboxed'>): string | undefined {
  if (!row.unsandboxed) return undefined;
  const { attempts, reason } = row.unsandboxed;
  const which = `attempt${attempts.length === 1 ? '' : 's'} ${attempts.join(', ')}`;
  return (
    `ipo ran the ${row.phase} phase's commands WITHOUT a sandbox (${which}; sandbox.required is false in ` +
    `.github/ipo.yml): ${reason}. They could read the runner's environment, files and network.`
  );
}

/** The note as a GitHub warning block (status comment, job summary), its text escaped; [] when sandboxed. */
export function unsandboxedWarning(row: Pick<PhaseFigures, 'phase' | 'unsandboxed'>): string[] {
  const note = unsandboxedNote(row);
  return note ? ['', '> [!WARNING]', `> ${inline(note)}`] : [];
}
