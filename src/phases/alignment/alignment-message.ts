import { sanitizeUntrusted } from '../../agent/sanitize-untrusted.ts';
import type { Ledger } from '../../state/ledger.ts';

/** The first user message of alignment: the task and where the spec is, nothing from any earlier run. */
export function alignmentMessage(ledger: Ledger, specPath: string, specBlob: string): string {
  const { task, taskId, session } = ledger;
  return [
    `Session ${session}: align task ${taskId} (${task.title}) with the product spec.`,
    '',
    `## Task ${taskId}, from ${task.source}`,
    '<task>',
    sanitizeUntrusted(task.text).trim(),
    '</task>',
    '',
    `## Product spec`,
    `${specPath} (git blob ${specBlob}). Read it in the repository.`,
    '',
    'The repository is at the session base commit; your tools are read-only. Finish with submit_result.',
  ].join('\n');
}
