import type { ArtifactBody } from '../../state/artifacts/index.ts';
import type { Ledger } from '../../state/ledger.ts';

/** The first user message of implementation: the alignment contract's fields, never its transcript. */
export function implementationMessage(ledger: Ledger, alignment: ArtifactBody<'alignment'>): string {
  const list = (items: string[]) => (items.length > 0 ? items.map((i) => `- ${i}`).join('\n') : '- (none)');
  return [
    `Session ${ledger.session}: implement task ${ledger.taskId} (${ledger.task.title}).`,
    '',
    '## Requirements',
    list(alignment.requirements.map((r) => `${r.id}: ${r.text} (${r.source})`)),
    '',
    '## Acceptance criteria',
    list(alignment.acceptanceCriteria.map((c) => `${c.id} [verify by ${c.verifyBy}]: ${c.text}`)),
    '',
    '## Tasks',
    list(alignment.tasks),
    '',
    '## Scope',
    `Files you may change: ${alignment.scope.filesIn.join(', ') || '(none listed)'}`,
    `Files you must not touch: ${alignment.scope.filesForbidden.join(', ') || '(none listed)'}`,
    `Out of scope: ${alignment.scope.outOfScope.join('; ') || '(nothing listed)'}`,
    '',
    '## Decisions already made',
    list(alignment.decisions.map((d) => `${d.decision} — ${d.rationale}`)),
    '',
    '## Risks',
    list(alignment.risks),
    '',
    'The workspace is a checkout of the session branch. Finish with submit_result; the orchestrator commits.',
  ].join('\n');
}
