import type { Phase } from '../../core/phases.ts';
import { firstLine, shortDigest, shortSha, terminalSafe, truncate } from '../../report/format.ts';
import { runProblem } from '../../report/phase-figures.ts';
import { renderTable } from '../../report/render-table.ts';
import type { Approval, Ledger, LedgerEvent, Run } from '../../state/ledger.ts';

/** A line of free text (an error, feedback) is cut to this many columns; `ipo status` shows more of it. */
const SUMMARY_WIDTH = 120;

interface Entry {
  time: number;
  /** Orders entries of the same millisecond causally; see `atSlot`. */
  slot: number;
  index: number;
  cells: [kind: string, what: string];
}

/**
 * The audit trail of `ipo log`, one line per entry in time order, ISO time first: runs started and finished (with
 * the exported digest), approvals (who, which gate, the digest and branch head approved) and ledger events.
 */
export function renderAuditLog(ledger: Ledger): string {
  const runs = ledger.runs.map((run) => ({ phase: run.phase, start: Date.parse(run.startedAt) }));
  const entries: Entry[] = [
    ...ledger.events.map((event, i) => atSlot(event.at, runs, () => true, i, eventCells(event))),
    ...ledger.approvals.map((approval, i) =>
      atSlot(
        approval.at,
        runs,
        (phase) => phase === approval.gate,
        ledger.events.length + i,
        approvalCells(approval),
      ),
    ),
    ...ledger.runs.flatMap((run, j): Entry[] => {
      const started: Entry = {
        time: Date.parse(run.startedAt),
        slot: 2 * j,
        index: 0,
        cells: startedCells(run),
      };
      if (run.finishedAt === undefined) return [started];
      return [
        started,
        {
          time: Date.parse(run.finishedAt),
          slot: 2 * j + 1,
          index: 0,
          cells: finishedCells(run, runProblem(ledger, run)),
        },
      ];
    }),
  ];
  entries.sort((a, b) => a.time - b.time || a.slot - b.slot || a.index - b.index);
  return renderTable(
    entries.map((entry) => [new Date(entry.time).toISOString(), ...entry.cells]),
    ['left', 'left', 'left'],
  ).join('\n');
}

/**
 * Ledger times have millisecond resolution, and one process often records an approval (or a retry, a rollback) and
 * starts the run it causes within the same millisecond; time alone could list the run first. So among entries of
 * the same millisecond, runs keep their order (slot 2j for the start of run j, 2j + 1 for its finish) and an
 * approval or event goes just before the first run it may have caused: the first run at or after it (for an
 * approval, the first of the gate's phase), or after every run if there is none.
 */
function atSlot(
  at: string,
  runs: readonly { phase: Phase; start: number }[],
  causes: (phase: Phase) => boolean,
  index: number,
  cells: Entry['cells'],
): Entry {
  const time = Date.parse(at);
  const next = runs.findIndex((run) => run.start >= time && causes(run.phase));
  return { time, slot: 2 * (next === -1 ? runs.length : next) - 0.5, index, cells };
}

function startedCells(run: Run): Entry['cells'] {
  const parts = [`${run.phase} #${run.attempt}`];
  if (run.baseSha !== undefined) parts.push(`base ${shortSha(run.baseSha)}`);
  if (run.inputs.length > 0) {
    const inputs = run.inputs.map((input) => `${terminalSafe(input.name)} ${shortDigest(input.sha256)}`);
    parts.push(`inputs ${inputs.join(', ')}`);
  }
  if (run.runId !== undefined) parts.push(`run ${terminalSafe(run.runId)}`);
  return ['run started', parts.join('  ')];
}

function finishedCells(run: Run, problem: string | null): Entry['cells'] {
  const parts = [`${run.phase} #${run.attempt}`, run.status];
  if (run.output !== undefined) parts.push(shortDigest(run.output.sha256));
  if (run.headSha !== undefined) parts.push(`head ${shortSha(run.headSha)}`);
  if (problem !== null) parts.push(summary(problem));
  return ['run finished', parts.join('  ')];
}

function approvalCells(approval: Approval): Entry['cells'] {
  const who = `${approval.gate} by ${terminalSafe(approval.approver)}`;
  return [
    'approved',
    `${who}  ${shortDigest(approval.approvedDigest)}  head ${shortSha(approval.branchHead)}`,
  ];
}

function eventCells(event: LedgerEvent): Entry['cells'] {
  const by = event.actor === undefined ? '' : `by ${terminalSafe(event.actor)}  `;
  return [terminalSafe(event.type), `${by}${summary(event.detail)}`];
}

/** The first line of a multi-line text (retry feedback, an error), noting how many lines were left out. */
function summary(text: string): string {
  const safe = terminalSafe(text);
  const rest = safe.split('\n').filter((line) => line.trim() !== '').length - 1;
  const first = truncate(firstLine(safe), SUMMARY_WIDTH);
  return rest > 0 ? `${first} (+${rest} more line${rest === 1 ? '' : 's'})` : first;
}
