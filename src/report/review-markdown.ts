import { formatDuration, shortSha } from './format.ts';
import { codeSpan, inline, table } from './markdown.ts';
import type { PhaseReview, ShortList } from './phase-review-schema.ts';

type Review<P extends PhaseReview['phase']> = Extract<PhaseReview, { phase: P }>;

const CRITERION_ICON = { pass: '✅', fail: '❌', partial: '🟡', unverified: '❔' } as const;

/**
 * A phase review as GitHub markdown (status comment, job summary). Everything from the artifact is made inert:
 * prose through `inline` (markup escaped, no mentions or issue links), paths, commands and refs as code spans, so a
 * model-written criterion cannot open HTML, ping anyone or break the table.
 */
export function reviewMarkdown(review: PhaseReview): string[] {
  switch (review.phase) {
    case 'alignment':
      return alignmentLines(review);
    case 'implementation':
      return implementationLines(review);
    case 'verification':
      return verificationLines(review);
    case 'commit':
      return commitLines(review);
    default: {
      const never: never = review;
      return never;
    }
  }
}

/** The review folded under a one-line summary, so the status comment stays short. */
export function reviewDetails(review: PhaseReview): string[] {
  return [
    '<details>',
    `<summary>${reviewTitle(review)}</summary>`,
    '',
    ...reviewMarkdown(review),
    '',
    '</details>',
  ];
}

/** `What alignment #1 asks you to approve` and the like: phase and attempt only, nothing model-written. */
export function reviewTitle(review: PhaseReview): string {
  return `Review: ${review.phase} #${review.attempt}`;
}

function alignmentLines(r: Review<'alignment'>): string[] {
  return [
    `**Verdict:** ${codeSpan(r.verdict)} against ${codeSpan(r.spec)}`,
    '',
    ...(r.criteria.items.length > 0
      ? table(
          ['criterion', 'verify by', 'text'],
          r.criteria.items.map((c) => [inline(c.id), c.verifyBy, inline(c.text)]),
        )
      : ['No acceptance criteria.']),
    ...more(r.criteria),
    '',
    ...(r.requirements.items.length > 0
      ? [
          '**Requirements:**',
          '',
          ...r.requirements.items.map((q) => `- ${codeSpan(q.id)} ${inline(q.text)} (${inline(q.source)})`),
          ...more(r.requirements),
          '',
        ]
      : []),
    `**Scope:** files in ${spans(r.scope.filesIn)}; forbidden ${spans(r.scope.filesForbidden)}`,
    ...(r.scope.outOfScope.items.length > 0
      ? ['', '**Out of scope:**', '', ...bullets(r.scope.outOfScope)]
      : []),
    '',
    ...(r.questions.items.length > 0
      ? [
          '**Questions:**',
          '',
          ...r.questions.items.map((q, i) => `${i + 1}. ${inline(q)}`),
          ...more(r.questions),
        ]
      : ['No open questions.']),
  ];
}

function implementationLines(r: Review<'implementation'>): string[] {
  const fileCount = r.files.items.length + r.files.more;
  const commitCount = r.commits.items.length + r.commits.more;
  return [
    `${codeSpan(shortSha(r.baseSha))}..${codeSpan(shortSha(r.headSha))}: ${commitCount} commit(s), ${fileCount} file(s) changed`,
    '',
    ...(r.files.items.length > 0
      ? table(
          ['file', 'change', 'lines'],
          r.files.items.map((f) => [
            f.previousPath ? `${codeSpan(f.previousPath)} → ${codeSpan(f.path)}` : codeSpan(f.path),
            f.status,
            `+${f.additions} −${f.deletions}`,
          ]),
          ['left', 'left', 'right'],
        )
      : ['No files changed.']),
    ...more(r.files),
    '',
    '**Commits:**',
    '',
    ...(r.commits.items.length > 0
      ? r.commits.items.map((c) => `- ${codeSpan(shortSha(c.sha))} ${inline(c.subject)}`)
      : ['- none']),
    ...more(r.commits),
    '',
    r.failedCommands > 0
      ? `**Commands the agent ran:** ⚠️ ${r.failedCommands} failed`
      : '**Commands the agent ran:**',
    '',
    ...(r.commands.items.length > 0
      ? table(
          ['command', 'exit'],
          r.commands.items.map((c) => [codeSpan(c.command), exitCell(c.exitCode)]),
          ['left', 'right'],
        )
      : ['None.']),
    ...more(r.commands),
    ...(r.setup === null ? [] : ['', `**Set-up:** ${inline(r.setup)}`]),
    '',
    `**Summary:** ${inline(r.summary)}`,
    ...(r.notes.items.length > 0
      ? ['', ...r.notes.items.map((n) => `- ${codeSpan(n.id)} ${inline(n.note)}`), ...more(r.notes)]
      : []),
  ];
}

function verificationLines(r: Review<'verification'>): string[] {
  const evidence = (list: Review<'verification'>['criteria']['items'][number]['evidence']) =>
    list.items.length > 0
      ? [
          ...list.items.map((e) => `${e.kind} ${codeSpan(e.ref)}: ${inline(e.detail)}`),
          ...(list.more > 0 ? [`… and ${list.more} more`] : []),
        ].join('<br>')
      : '-';
  return [
    `**Verdict:** ${codeSpan(r.verdict)}`,
    '',
    ...table(
      ['criterion', 'status', 'evidence'],
      r.criteria.items.map((c) => [
        inline(c.id),
        `${CRITERION_ICON[c.status]} ${c.status}`,
        evidence(c.evidence),
      ]),
    ),
    ...more(r.criteria),
    '',
    ...(r.setup === null ? [] : [`**Set-up:** ${inline(r.setup)}`, '']),
    '**Checks:**',
    '',
    ...(r.checks.items.length > 0
      ? table(
          ['command', 'exit', 'kind', 'duration'],
          r.checks.items.map((c) => [
            codeSpan(c.command),
            exitCell(c.exitCode),
            c.kind === 'environment-failure' ? '**environment-failure** (could not run)' : c.kind,
            formatDuration(c.durationMs),
          ]),
          ['left', 'right', 'left', 'right'],
        )
      : ['No checks are configured.']),
    ...more(r.checks),
    '',
    ...(r.gaps.items.length > 0
      ? [
          '**Gaps:**',
          '',
          ...table(
            ['kind', 'path', 'detail'],
            r.gaps.items.map((g) => [g.kind, g.path ? codeSpan(g.path) : '-', inline(g.detail)]),
          ),
          ...more(r.gaps),
        ]
      : ['No gaps found.']),
  ];
}

function commitLines(r: Review<'commit'>): string[] {
  return [
    `**Commit:** ${codeSpan(r.commitSha)} ${inline(r.subject)}`,
    '',
    r.pr
      ? `**Pull request:** [#${r.pr.number}](${linkTarget(r.pr.url)}), ready for review`
      : '**Pull request:** none',
    '',
    ...(r.trailers.items.length > 0
      ? table(
          ['trailer', 'value'],
          r.trailers.items.map((t) => [codeSpan(t.key), inline(t.value)]),
        )
      : ['No trailers.']),
    ...more(r.trailers),
  ];
}

function exitCell(exitCode: number | null): string {
  if (exitCode === null) return '**killed** ❌';
  return exitCode === 0 ? '0' : `**${exitCode}** ❌`;
}

function spans(list: ShortList<string>): string {
  if (list.items.length === 0) return 'none';
  return [...list.items.map(codeSpan), ...(list.more > 0 ? [`… and ${list.more} more`] : [])].join(', ');
}

function bullets(list: ShortList<string>): string[] {
  return [...list.items.map((item) => `- ${inline(item)}`), ...more(list)];
}

function more(list: ShortList<unknown>): string[] {
  return list.more > 0 ? [`… and ${list.more} more`] : [];
}

/** A URL as a markdown link target: parentheses would end the link early. */
function linkTarget(url: string): string {
  return url.replaceAll('(', '%28').replaceAll(')', '%29').replaceAll(' ', '%20');
}
