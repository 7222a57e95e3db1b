import { formatDuration, shortSha, terminalSafe } from './format.ts';
import type { PhaseReview, ShortList } from './phase-review-schema.ts';
import type { Style } from './style.ts';

type Review<P extends PhaseReview['phase']> = Extract<PhaseReview, { phase: P }>;

const INDENT = '  ';

/**
 * A phase review as terminal lines (after a phase in the CLI, and in `ipo status`). Every text from the artifact
 * goes through `terminalSafe` and onto one line, so an escape sequence a model wrote never reaches the terminal;
 * only the style adds escapes, and only when colour is on.
 */
export function reviewText(review: PhaseReview, style: Style): string[] {
  const lines = (() => {
    switch (review.phase) {
      case 'alignment':
        return alignmentLines(review, style);
      case 'implementation':
        return implementationLines(review, style);
      case 'verification':
        return verificationLines(review, style);
      case 'commit':
        return commitLines(review);
      default: {
        const never: never = review;
        return never;
      }
    }
  })();
  return lines.map((line) => INDENT + line);
}

function alignmentLines(r: Review<'alignment'>, style: Style): string[] {
  const verdict = r.verdict === 'aligned' ? style.green(r.verdict) : style.yellow(r.verdict);
  return [
    `verdict: ${verdict} against ${safe(r.spec)}`,
    'acceptance criteria:',
    ...(r.criteria.items.length > 0
      ? r.criteria.items.map((c) => `  ${style.bold(safe(c.id))} [${c.verifyBy}] ${safe(c.text)}`)
      : ['  none']),
    ...more(r.criteria, style),
    ...(r.requirements.items.length > 0
      ? [
          'requirements:',
          ...r.requirements.items.map(
            (q) => `  ${safe(q.id)} ${safe(q.text)} ${style.dim(`(${safe(q.source)})`)}`,
          ),
          ...more(r.requirements, style),
        ]
      : []),
    `scope: files in ${joined(r.scope.filesIn)}; forbidden ${joined(r.scope.filesForbidden)}`,
    ...(r.scope.outOfScope.items.length > 0 ? [`out of scope: ${joined(r.scope.outOfScope)}`] : []),
    ...(r.questions.items.length > 0
      ? [
          'questions:',
          ...r.questions.items.map((q, i) => `  ${i + 1}. ${safe(q)}`),
          ...more(r.questions, style),
        ]
      : []),
  ];
}

function implementationLines(r: Review<'implementation'>, style: Style): string[] {
  const commitCount = r.commits.items.length + r.commits.more;
  const fileCount = r.files.items.length + r.files.more;
  return [
    `${shortSha(r.baseSha)}..${shortSha(r.headSha)}: ${commitCount} commit(s), ${fileCount} file(s) changed`,
    ...r.commits.items.map((c) => `  ${style.dim(shortSha(c.sha))} ${safe(c.subject)}`),
    ...more(r.commits, style),
    'files:',
    ...(r.files.items.length > 0
      ? r.files.items.map(
          (f) =>
            `  ${f.status.padEnd(8)} ${f.previousPath ? `${safe(f.previousPath)} → ` : ''}${safe(f.path)} ${style.green(`+${f.additions}`)} ${style.red(`-${f.deletions}`)}`,
        )
      : ['  none']),
    ...more(r.files, style),
    r.failedCommands > 0 ? `commands: ${style.red(style.bold(`${r.failedCommands} failed`))}` : 'commands:',
    ...(r.commands.items.length > 0
      ? r.commands.items.map((c) => `  ${exitMark(c.exitCode, style)} ${safe(c.command)}`)
      : ['  none']),
    ...more(r.commands, style),
    ...(r.setup === null ? [] : [`set-up: ${safe(r.setup)}`]),
    `summary: ${safe(r.summary)}`,
    ...r.notes.items.map((n) => `  ${style.bold(safe(n.id))} ${safe(n.note)}`),
    ...more(r.notes, style),
  ];
}

function verificationLines(r: Review<'verification'>, style: Style): string[] {
  const status = (s: Review<'verification'>['criteria']['items'][number]['status']) =>
    s === 'pass' ? style.green(s) : s === 'fail' ? style.red(s) : style.yellow(s);
  return [
    `verdict: ${r.verdict === 'pass' ? style.green(style.bold('pass')) : style.red(style.bold('fail'))}`,
    'criteria:',
    ...r.criteria.items.flatMap((c) => [
      `  ${style.bold(safe(c.id))} ${status(c.status)}`,
      ...c.evidence.items.map((e) => `    ${e.kind} ${safe(e.ref)}: ${safe(e.detail)}`),
      ...more(c.evidence, style).map((line) => `  ${line}`),
    ]),
    ...more(r.criteria, style),
    ...(r.setup === null ? [] : [`set-up: ${safe(r.setup)}`]),
    'checks:',
    ...(r.checks.items.length > 0
      ? r.checks.items.map((c) => {
          const kind =
            c.kind === 'environment-failure'
              ? style.yellow('environment failure (the command could not run; not a test result)')
              : c.kind === 'test-failure'
                ? style.red('test failure')
                : 'passed';
          return `  ${exitMark(c.exitCode, style)} ${safe(c.command)} ${style.dim(formatDuration(c.durationMs))} ${kind}`;
        })
      : ['  none configured']),
    ...more(r.checks, style),
    ...(r.gaps.items.length > 0
      ? [
          'gaps:',
          ...r.gaps.items.map((g) => `  ${g.kind}${g.path ? ` ${safe(g.path)}` : ''}: ${safe(g.detail)}`),
          ...more(r.gaps, style),
        ]
      : ['gaps: none']),
  ];
}

function commitLines(r: Review<'commit'>): string[] {
  return [
    `commit: ${shortSha(r.commitSha)} ${safe(r.subject)}`,
    `pull request: ${r.pr ? `#${r.pr.number} ${safe(r.pr.url)}` : 'none'}`,
    ...r.trailers.items.map((t) => `  ${safe(t.key)}: ${safe(t.value)}`),
  ];
}

/** `exit 0`, a loud `exit 1`, or `killed`. */
function exitMark(exitCode: number | null, style: Style): string {
  if (exitCode === null) return style.red(style.bold('killed'));
  return exitCode === 0 ? style.dim('exit 0') : style.red(style.bold(`exit ${exitCode}`));
}

function joined(list: ShortList<string>): string {
  if (list.items.length === 0) return 'none';
  return [...list.items.map(safe), ...(list.more > 0 ? [`… and ${list.more} more`] : [])].join(', ');
}

function more(list: ShortList<unknown>, style: Style): string[] {
  return list.more > 0 ? [style.dim(`  … and ${list.more} more`)] : [];
}

/** Model-written text on one line, with no escape sequence or control character left. */
function safe(text: string): string {
  return terminalSafe(text)
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}
