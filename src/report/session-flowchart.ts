import { GATED_PHASES, type GatedPhase, PHASES, type Phase, proceedPhrase } from '../core/phases.ts';
import type { Ledger } from '../state/ledger.ts';
import { phaseStateCell } from './phase-cells.ts';
import { phaseFigures } from './phase-figures.ts';
import type { PhaseState } from './status-report-schema.ts';

type GateState = 'approved' | 'waiting' | 'closed';
type GateClass = 'gateApproved' | 'gateWaiting' | 'gateClosed';

// Mermaid class names: letters only, to stay clear of its tokenizer.
const GATE_CLASS: Record<GateState, GateClass> = {
  approved: 'gateApproved',
  waiting: 'gateWaiting',
  closed: 'gateClosed',
};

const CLASS_DEFS: Record<PhaseState | GateClass | 'current', string> = {
  pending: 'fill:#f6f8fa,stroke:#d0d7de,color:#57606a',
  running: 'fill:#ddf4ff,stroke:#0969da,color:#1f2328',
  succeeded: 'fill:#dafbe1,stroke:#1a7f37,color:#1f2328',
  failed: 'fill:#ffebe9,stroke:#cf222e,color:#1f2328',
  blocked: 'fill:#fff8c5,stroke:#9a6700,color:#1f2328',
  cancelled: 'fill:#eaeef2,stroke:#6e7781,color:#57606a',
  gateApproved: 'fill:#dafbe1,stroke:#1a7f37,color:#1f2328',
  gateWaiting: 'fill:#fff8c5,stroke:#9a6700,color:#1f2328',
  gateClosed: 'fill:#ffffff,stroke:#d0d7de,color:#57606a',
  current: 'stroke-width:4px,font-weight:bold',
};

/**
 * The session as a mermaid `flowchart LR`: the four phases with the approval gate before each gated one, every
 * node styled by its state, and the phase this job ran marked `current`. `current.state` wins over the ledger for
 * that phase, so a summary written before the ledger is final still shows the job's outcome.
 */
export function sessionFlowchart(
  ledger: Ledger,
  current: { phase: Phase; attempt: number; state: PhaseState },
): string[] {
  const rows = phaseFigures(ledger);
  const stateOf = (phase: Phase) =>
    phase === current.phase ? current.state : (rows.find((r) => r.phase === phase)?.state ?? 'pending');
  const nodes: string[] = [];
  const classes: string[] = [];
  const order: string[] = [];
  for (const phase of PHASES) {
    if (isGated(phase)) {
      const gate = gateState(ledger, phase);
      const approver = gate === 'approved' ? lastApprover(ledger, phase) : undefined;
      const label = [proceedPhrase(phase), approver ? `approved by ${approver}` : gateText(gate)];
      nodes.push(`  ${gateId(phase)}{{"${label.map(text).join('<br/>')}"}}`);
      classes.push(`  class ${gateId(phase)} ${GATE_CLASS[gate]}`);
      order.push(gateId(phase));
    }
    const state = stateOf(phase);
    const attempt =
      phase === current.phase
        ? current.attempt
        : ledger.runs.filter((run) => run.phase === phase).at(-1)?.attempt;
    // Plain words: mermaid reads `#…;` in a label as an entity.
    const detail = attempt === undefined ? '' : `<br/>attempt ${attempt}`;
    nodes.push(`  ${phase}["${text(phase)}<br/>${text(phaseStateCell(state))}${detail}"]`);
    classes.push(`  class ${phase} ${state}`);
    order.push(phase);
  }
  const edges = order.slice(1).map((id, i) => `  ${order[i]} --> ${id}`);
  const defs = Object.entries(CLASS_DEFS).map(([name, style]) => `  classDef ${name} ${style}`);
  return [
    '```mermaid',
    'flowchart LR',
    ...nodes,
    ...edges,
    ...defs,
    ...classes,
    `  class ${current.phase} current`,
    '```',
  ];
}

function isGated(phase: Phase): phase is GatedPhase {
  return (GATED_PHASES as readonly Phase[]).includes(phase);
}

function gateId(phase: GatedPhase): string {
  return `gate_${phase}`;
}

function gateState(ledger: Ledger, gate: GatedPhase): GateState {
  if (ledger.status.kind === 'awaiting' && ledger.status.gate === gate) return 'waiting';
  return ledger.approvals.some((a) => a.gate === gate) ? 'approved' : 'closed';
}

function gateText(state: GateState): string {
  return state === 'waiting' ? 'waiting for approval' : state;
}

function lastApprover(ledger: Ledger, gate: GatedPhase): string | undefined {
  return ledger.approvals.filter((a) => a.gate === gate).at(-1)?.approver;
}

/** Text inside a quoted mermaid label: quotes and angle brackets would end the label or open HTML. */
function text(value: string): string {
  return value.replace(/["<>#;]/g, '');
}
