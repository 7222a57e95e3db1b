import type { Phase } from '../core/phases.ts';
import type {
  AlignmentBody,
  ArtifactBody,
  CommitBody,
  ImplementationBody,
  VerificationBody,
} from '../state/artifacts/index.ts';
import { truncate } from './format.ts';
import type { PhaseReview, ShortList } from './phase-review-schema.ts';
import { setupSummary } from './setup-summary.ts';

/** A phase run paired with its artifact body. */
export type PhaseRunResult = { [P in Phase]: { phase: P; attempt: number; body: ArtifactBody<P> } }[Phase];

/** Entries of one list shown at a gate; the rest are counted. */
export const REVIEW_LIST = 10;
/** Evidence shown per criterion. */
const EVIDENCE = 3;
/** Characters of one model-written text (a criterion, a note, evidence). */
const TEXT = 300;
const SUMMARY = 1200;

/** The review section of a phase run: what its artifact asks a person to approve, short enough to read at a gate. */
export function phaseReview(result: PhaseRunResult): PhaseReview {
  switch (result.phase) {
    case 'alignment':
      return alignmentReview(result.body, result.attempt);
    case 'implementation':
      return implementationReview(result.body, result.attempt);
    case 'verification':
      return verificationReview(result.body, result.attempt);
    case 'commit':
      return commitReview(result.body, result.attempt);
    default: {
      const never: never = result;
      return never;
    }
  }
}

function alignmentReview(body: AlignmentBody, attempt: number): PhaseReview {
  return {
    phase: 'alignment',
    attempt,
    verdict: body.verdict,
    spec: body.specRef.path,
    requirements: shortList(body.requirements, (r) => ({
      id: r.id,
      text: cut(r.text),
      source: cut(r.source),
    })),
    criteria: shortList(body.acceptanceCriteria, (c) => ({
      id: c.id,
      text: cut(c.text),
      verifyBy: c.verifyBy,
    })),
    scope: {
      filesIn: shortList(body.scope.filesIn, cut),
      filesForbidden: shortList(body.scope.filesForbidden, cut),
      outOfScope: shortList(body.scope.outOfScope, cut),
    },
    questions: shortList(body.questions, cut),
  };
}

function implementationReview(body: ImplementationBody, attempt: number): PhaseReview {
  const failed = (c: { exitCode: number | null }) => c.exitCode !== 0;
  return {
    phase: 'implementation',
    attempt,
    baseSha: body.baseSha,
    headSha: body.headSha,
    commits: shortList(body.commits, (c) => ({ sha: c.sha, subject: cut(c.subject) })),
    files: shortList(body.filesChanged, (f) => f),
    // A failed command is what a reviewer must not miss: when the list is cut, failures stay in it.
    commands: shortList(body.commands, (c) => ({ command: cut(c.command), exitCode: c.exitCode }), failed),
    failedCommands: body.commands.filter(failed).length,
    setup: setupLine(body.setup),
    summary: truncate(body.summary, SUMMARY),
    notes: shortList(body.criteriaNotes, (n) => ({ id: n.id, note: cut(n.note) })),
  };
}

function verificationReview(body: VerificationBody, attempt: number): PhaseReview {
  return {
    phase: 'verification',
    attempt,
    verdict: body.verdict,
    criteria: shortList(
      body.criteria,
      (c) => ({
        id: c.id,
        status: c.status,
        evidence: shortList(
          c.evidence,
          (e) => ({ kind: e.kind, ref: cut(e.ref), detail: cut(e.detail) }),
          undefined,
          EVIDENCE,
        ),
      }),
      (c) => c.status !== 'pass',
    ),
    checks: shortList(
      body.checks,
      ({ outputTail: _tail, ...check }) => ({ ...check, command: cut(check.command) }),
      (c) => c.kind !== 'passed',
    ),
    setup: setupLine(body.setup),
    gaps: shortList(body.gaps, (g) => ({
      kind: g.kind,
      detail: cut(g.detail),
      ...(g.path ? { path: cut(g.path) } : {}),
    })),
  };
}

function commitReview(body: CommitBody, attempt: number): PhaseReview {
  return {
    phase: 'commit',
    attempt,
    commitSha: body.commitSha,
    subject: cut(body.message.split('\n')[0] ?? ''),
    pr: body.pr ? { number: body.pr.number, url: body.pr.url } : null,
    trailers: shortList(body.trailers, (t) => ({ key: t.key, value: cut(t.value) })),
  };
}

/** What set-up ran, in one line; `none (<why>)` when it ran nothing; null for an artifact without a set-up record. */
function setupLine(setup: ImplementationBody['setup']): string | null {
  if (!setup) return null;
  return setupSummary(setup) ?? `none (${setup.source})`;
}

/**
 * The first `limit` entries, mapped; with `keep`, entries it picks go in first (in their order) and the others fill
 * what room is left, so the shown list stays in the artifact's order.
 */
export function shortList<T, U>(
  all: readonly T[],
  map: (item: T) => U,
  keep?: (item: T) => boolean,
  limit = REVIEW_LIST,
): ShortList<U> {
  const chosen = new Set<number>();
  if (keep) {
    for (let i = 0; i < all.length && chosen.size < limit; i++) if (keep(all[i] as T)) chosen.add(i);
  }
  for (let i = 0; i < all.length && chosen.size < limit; i++) chosen.add(i);
  const items = all.flatMap((item, i) => (chosen.has(i) ? [map(item)] : []));
  return { items, more: all.length - items.length };
}

function cut(text: string): string {
  return truncate(text, TEXT);
}
