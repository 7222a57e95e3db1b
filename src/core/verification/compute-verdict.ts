import type { AcceptanceCriterion } from '../../state/artifacts/alignment.ts';
import type { Check, CriterionResult, VerificationBody } from '../../state/artifacts/verification.ts';

/** What the verdict is computed from: the aligned criteria, the model's judgements, the checks run, the gaps. */
export interface VerdictInput {
  /** The alignment's acceptance criteria (only `id` is read). */
  criteria: readonly Pick<AcceptanceCriterion, 'id'>[];
  /** The verification model's judgement of each criterion. */
  judged: readonly Pick<CriterionResult, 'id' | 'status' | 'evidence'>[];
  /** The configured checks the orchestrator ran. */
  checks: readonly Pick<Check, 'command' | 'exitCode' | 'kind'>[];
  gaps: readonly Pick<VerificationBody['gaps'][number], 'kind' | 'detail' | 'path'>[];
}

export interface Verdict {
  verdict: 'pass' | 'fail';
  /** Every rule that failed, in plain words, criteria first; empty for `pass`. */
  reasons: string[];
  /** Aligned criterion ids the model did not judge at all. */
  missing: string[];
}

/**
 * The verification verdict, decided by the orchestrator rather than the model: `pass` only when every aligned
 * criterion is judged `pass` exactly once with at least one piece of evidence, no unknown criterion is judged,
 * every check exited 0, and no gap says the change contradicts the alignment or strays outside its scope.
 */
export function computeVerdict(input: VerdictInput): Verdict {
  const reasons: string[] = [];
  const missing: string[] = [];
  const aligned = new Set(input.criteria.map((c) => c.id));
  const first = new Map<string, VerdictInput['judged'][number]>();
  const duplicated = new Set<string>();
  for (const judgement of input.judged) {
    if (first.has(judgement.id)) duplicated.add(judgement.id);
    else first.set(judgement.id, judgement);
  }

  // A session with nothing to verify must not pass by default: that is how an empty alignment would slip through.
  if (aligned.size === 0) reasons.push('the alignment has no acceptance criteria to verify');
  for (const id of aligned) {
    const judgement = first.get(id);
    if (judgement === undefined) {
      missing.push(id);
      reasons.push(`${id} was not judged`);
    } else if (judgement.status !== 'pass') {
      reasons.push(judgement.status === 'fail' ? `${id} failed` : `${id} is ${judgement.status}`);
    } else if (judgement.evidence.length === 0) {
      reasons.push(`${id} has no evidence`);
    }
  }
  for (const id of first.keys()) {
    if (!aligned.has(id))
      reasons.push(`${id} was judged but is not an acceptance criterion of the alignment`);
  }
  for (const id of duplicated) reasons.push(`${id} was judged more than once`);

  for (const check of input.checks) {
    if (check.exitCode === 0 && check.kind === 'passed') continue;
    const exit = check.exitCode === null ? 'killed, no exit code' : `exit ${check.exitCode}`;
    reasons.push(
      check.kind === 'environment-failure'
        ? `check ${code(check.command)} could not run properly (environment failure, ${exit})`
        : `check ${code(check.command)} failed (${exit})`,
    );
  }

  for (const gap of input.gaps) {
    if (gap.kind === 'unrequested') {
      reasons.push(
        gap.path === undefined
          ? `a change outside the agreed scope: ${gap.detail}`
          : `${gap.path} changed outside the agreed scope`,
      );
    } else if (gap.kind === 'contradicts') {
      reasons.push(
        `${gap.path === undefined ? 'the change' : gap.path} contradicts the alignment: ${gap.detail}`,
      );
    }
  }
  return { verdict: reasons.length === 0 ? 'pass' : 'fail', reasons, missing };
}

/** A markdown code span that survives backticks in the command (reasons end up in comments and summaries). */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = longest > 0 ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}
