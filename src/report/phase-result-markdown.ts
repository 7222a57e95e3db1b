import type { Phase } from '../core/phases.ts';
import type {
  AlignmentBody,
  ArtifactBody,
  CommitBody,
  CriterionResult,
  ImplementationBody,
  VerificationBody,
} from '../state/artifacts/index.ts';
import type { Setup } from '../state/artifacts/verification.ts';
import { formatDuration, shortSha } from './format.ts';
import { codeSpan, inline, table } from './markdown.ts';
import { setupSummary } from './setup-summary.ts';

/** A phase paired with its artifact body (absent when the phase exported none, e.g. it failed). */
export type PhaseResult = { [P in Phase]: { phase: P; body?: ArtifactBody<P> | undefined } }[Phase];

const NO_ARTIFACT = ['No artifact was exported.'];

const CRITERION_ICON: Record<CriterionResult['status'], string> = {
  pass: '✅',
  fail: '❌',
  partial: '🟡',
  unverified: '❔',
};

/** The phase's result as markdown: what a reviewer of the job wants to see of its artifact. */
export function phaseResultLines(result: PhaseResult): string[] {
  switch (result.phase) {
    case 'alignment':
      return result.body ? alignmentLines(result.body) : NO_ARTIFACT;
    case 'implementation':
      return result.body ? implementationLines(result.body) : NO_ARTIFACT;
    case 'verification':
      return result.body ? verificationLines(result.body) : NO_ARTIFACT;
    case 'commit':
      return result.body ? commitLines(result.body) : NO_ARTIFACT;
    default: {
      const never: never = result;
      return never;
    }
  }
}

function alignmentLines(body: AlignmentBody): string[] {
  return [
    `**Verdict:** ${codeSpan(body.verdict)} against ${codeSpan(body.specRef.path)}`,
    '',
    ...table(
      ['criterion', 'verify by', 'text'],
      body.acceptanceCriteria.map((ac) => [ac.id, ac.verifyBy, inline(ac.text)]),
    ),
    '',
    ...(body.questions.length > 0
      ? ['**Questions:**', '', ...body.questions.map((q, i) => `${i + 1}. ${inline(q)}`)]
      : ['No open questions.']),
  ];
}

function implementationLines(body: ImplementationBody): string[] {
  const files = body.filesChanged.map((file) => [
    file.previousPath ? `${codeSpan(file.previousPath)} → ${codeSpan(file.path)}` : codeSpan(file.path),
    file.status,
    `+${file.additions} −${file.deletions}`,
  ]);
  return [
    `${codeSpan(shortSha(body.baseSha))}..${codeSpan(shortSha(body.headSha))}: ${body.commits.length} commit(s), ${body.filesChanged.length} file(s) changed`,
    '',
    ...(files.length > 0
      ? table(['file', 'change', 'lines'], files, ['left', 'left', 'right'])
      : ['No files changed.']),
    '',
    '**Commits:**',
    '',
    ...(body.commits.length > 0
      ? body.commits.map((c) => `- ${codeSpan(shortSha(c.sha))} ${inline(c.subject)}`)
      : ['- none']),
    ...setupLines(body.setup),
  ];
}

/** What set-up ran, as one markdown paragraph; nothing for an artifact without set-up. */
function setupLines(setup: Setup | undefined): string[] {
  if (!setup) return [];
  const summary = setupSummary(setup);
  return ['', summary ? `**Set-up:** ${inline(summary)}` : `**Set-up:** none (${inline(setup.source)})`];
}

function verificationLines(body: VerificationBody): string[] {
  const evidence = (result: CriterionResult) =>
    result.evidence.length > 0 ? result.evidence.map((e) => `${e.kind} ${codeSpan(e.ref)}`).join('; ') : '-';
  return [
    `**Verdict:** ${codeSpan(body.verdict)}`,
    '',
    ...table(
      ['criterion', 'status', 'evidence'],
      body.criteria.map((c) => [c.id, `${CRITERION_ICON[c.status]} ${c.status}`, evidence(c)]),
    ),
    '',
    ...setupLines(body.setup).slice(1),
    ...(body.setup ? [''] : []),
    '**Checks:**',
    '',
    ...(body.checks.length > 0
      ? table(
          ['command', 'exit', 'kind', 'duration'],
          body.checks.map((c) => [
            codeSpan(c.command),
            c.exitCode === null ? 'killed' : String(c.exitCode),
            c.kind,
            formatDuration(c.durationMs),
          ]),
          ['left', 'right', 'left', 'right'],
        )
      : ['No checks are configured.']),
    '',
    ...(body.gaps.length > 0
      ? [
          '**Gaps:**',
          '',
          ...table(
            ['kind', 'path', 'detail'],
            body.gaps.map((g) => [g.kind, g.path ? codeSpan(g.path) : '-', inline(g.detail)]),
          ),
        ]
      : ['No gaps found.']),
  ];
}

function commitLines(body: CommitBody): string[] {
  const [subject = ''] = body.message.split('\n');
  return [
    `**Commit:** ${codeSpan(body.commitSha)} ${inline(subject)}`,
    '',
    body.pr
      ? `**Pull request:** [#${body.pr.number}](${linkTarget(body.pr.url)}), ready for review`
      : '**Pull request:** none',
    '',
    ...(body.trailers.length > 0
      ? table(
          ['trailer', 'value'],
          body.trailers.map((t) => [codeSpan(t.key), inline(t.value)]),
        )
      : ['No trailers.']),
  ];
}

/** A URL as a markdown link target: parentheses would end the link early. */
function linkTarget(url: string): string {
  return url.replaceAll('(', '%28').replaceAll(')', '%29').replaceAll(' ', '%20');
}
