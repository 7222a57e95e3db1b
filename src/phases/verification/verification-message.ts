import type { ArtifactBody } from '../../state/artifacts/index.ts';
import type { Check, Setup } from '../../state/artifacts/verification.ts';
import type { Ledger } from '../../state/ledger.ts';

/** The first user message of verification: criteria, scope, the implementation's summary and the check results. */
export function verificationMessage(
  ledger: Ledger,
  alignment: ArtifactBody<'alignment'>,
  implementation: ArtifactBody<'implementation'>,
  checks: Check[],
  setup?: Setup,
): string {
  const notes = new Map(implementation.criteriaNotes.map((n) => [n.id, n.note]));
  return [
    `Session ${ledger.session}: verify task ${ledger.taskId} (${ledger.task.title}) at ${implementation.headSha}.`,
    '',
    '## Acceptance criteria',
    ...alignment.acceptanceCriteria.map(
      (c) =>
        `- ${c.id} [verify by ${c.verifyBy}]: ${c.text}${notes.has(c.id) ? `\n  Implementer's note: ${notes.get(c.id)}` : ''}`,
    ),
    '',
    '## Agreed scope',
    `May change: ${alignment.scope.filesIn.join(', ') || '(none listed)'}; must not touch: ${alignment.scope.filesForbidden.join(', ') || '(none listed)'}`,
    '',
    '## Implementation summary',
    implementation.summary,
    '',
    '## Files changed',
    ...implementation.filesChanged.map((f) => `- ${f.path} (${f.status}, +${f.additions}/-${f.deletions})`),
    '',
    ...(setup && setup.commands.length > 0
      ? [
          `## Set-up run by the orchestrator first (${setup.source})`,
          ...setup.commands.map((c) => `- \`${c.command}\` → ${c.kind} (${c.durationMs} ms)`),
          '',
        ]
      : []),
    '## Checks run by the orchestrator',
    ...checks.map(
      (c) =>
        `### \`${c.command}\` → ${c.kind} (exit ${c.exitCode ?? 'none'}, ${c.durationMs} ms)\n\`\`\`\n${c.outputTail}\n\`\`\``,
    ),
    '',
    'The workspace is a clean checkout of that commit; your tools are read-only. Finish with submit_result.',
  ].join('\n');
}
