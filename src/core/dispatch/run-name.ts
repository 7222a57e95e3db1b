/** What a phase run's run-name (`display_title`) says: the workflow sets it from the dispatch inputs. */
export interface RunNameParts {
  session: string;
  phase: string;
  attempt: number;
  issueNumber: number;
}

/** The run-name the phase workflow gives its runs; `workflow_run` events and previous runs are mapped back by it. */
export function runName(i: RunNameParts): string {
  return `ipo ${i.session} ${i.phase} #${i.attempt} (issue ${i.issueNumber})`;
}

const RUN_NAME =
  /^ipo (phase-[\d.]+-\d{8}(?:-\d+)?) (alignment|implementation|verification|commit) #(\d+) \(issue (\d+)\)$/;

/** The session, phase, attempt and issue of one of our runs, or null for any other run. */
export function parseRunName(name: string): RunNameParts | null {
  const m = RUN_NAME.exec(name);
  if (!m) return null;
  return { session: m[1] ?? '', phase: m[2] ?? '', attempt: Number(m[3]), issueNumber: Number(m[4]) };
}

/** The workflow artifact a phase run uploads its state as (transcripts go in `<name>-transcript`). */
export function stateArtifactName(i: Pick<RunNameParts, 'session' | 'phase' | 'attempt'>): string {
  return `ipo-${i.session}-${i.phase}-${i.attempt}`;
}
