import { readFile } from 'node:fs/promises';
import type { Phase } from '../core/phases.ts';
import { repoRoot } from '../git/repo.ts';
import type { PhaseRunResult } from '../report/phase-review.ts';
import { findRun } from '../session/ledger-ops.ts';
import { ArtifactStore } from '../state/artifact-store.ts';
import type { Ledger } from '../state/ledger.ts';
import { parseArtifact } from '../state/parse-document.ts';

/**
 * The artifact a run exported, from the session's store (`attempts/<phase>-<attempt>.json`), checked against the
 * digest the ledger recorded for that run: what the review at a gate is built from. Undefined when the run exported
 * none, or the file is gone or differs (the review is then left out; `ipo status` still shows the rest).
 */
export async function readRunResult(
  cwd: string,
  ledger: Ledger,
  phase: Phase,
  attempt: number,
): Promise<PhaseRunResult | undefined> {
  const output = findRun(ledger, phase, attempt)?.output;
  const root = output ? await repoRoot(cwd) : null;
  if (!output || !root) return undefined;
  const file = `attempts/${phase}-${attempt}.json`;
  try {
    const text = await readFile(ArtifactStore.forSession(root, ledger.session).path(file), 'utf8');
    const envelope = parseArtifact(phase, text, { expectedDigest: output.sha256, file });
    return { phase, attempt, body: envelope.body } as PhaseRunResult;
  } catch {
    return undefined;
  }
}

/** The artifact of the session's latest run, when it exported one. */
export function readLatestResult(cwd: string, ledger: Ledger): Promise<PhaseRunResult | undefined> {
  const latest = ledger.runs.at(-1);
  return latest ? readRunResult(cwd, ledger, latest.phase, latest.attempt) : Promise.resolve(undefined);
}
