import type { Ledger, Run } from '../../src/state/ledger.ts';
import type { Metrics } from '../../src/state/metrics.ts';
import { ledger as baseLedger, SHA_A, SHA_B } from '../state/fixtures.ts';

/** Distinct digests per artifact, so a test sees which one a line shows. */
export const ALIGNMENT_DIGEST = `1a2b3c4d${'0'.repeat(56)}`;
export const IMPLEMENTATION_DIGEST = `5e6f7a8b${'1'.repeat(56)}`;
export const VERIFICATION_DIGEST = `9c0d1e2f${'2'.repeat(56)}`;

/** Metrics of one run; the per-call list is left empty because nothing here renders it. */
export function metrics(figures: Omit<Metrics, 'model' | 'calls' | 'peakInputTokens'>): Metrics {
  return { model: 'claude-sonnet-4-5', peakInputTokens: 0, calls: [], ...figures };
}

const alignment1: Run = {
  phase: 'alignment',
  attempt: 1,
  status: 'succeeded',
  startedAt: '2025-01-31T09:00:01.000Z',
  finishedAt: '2025-01-31T09:00:41.500Z',
  baseSha: SHA_A,
  headSha: SHA_A,
  inputs: [{ name: 'task', sha256: 'e'.repeat(64) }],
  output: { name: 'alignment', sha256: ALIGNMENT_DIGEST },
  metrics: metrics({
    turns: 3,
    durationMs: 40_100,
    costUsd: 0.0456,
    inputTokens: 2_000,
    outputTokens: 1_234,
    cacheCreationInputTokens: 8_000,
    cacheReadInputTokens: 15_500,
  }),
};

const implementation1: Run = {
  phase: 'implementation',
  attempt: 1,
  status: 'failed',
  // The same millisecond as the approval that caused it: the log must still list the approval first.
  startedAt: '2025-01-31T09:05:00.000Z',
  finishedAt: '2025-01-31T09:12:00.000Z',
  baseSha: SHA_A,
  inputs: [{ name: 'alignment', sha256: ALIGNMENT_DIGEST }],
  metrics: metrics({
    turns: 41,
    durationMs: 420_000,
    costUsd: 1.026,
    inputTokens: 30_000,
    outputTokens: 64_000,
    cacheCreationInputTokens: 10_000,
    cacheReadInputTokens: 60_000,
  }),
  error: 'output-tokens budget exceeded: used 64000 of 64000\nlast tool: run_command (npm test)',
};

const implementation2: Run = {
  phase: 'implementation',
  attempt: 2,
  status: 'succeeded',
  startedAt: '2025-01-31T09:20:00.000Z',
  finishedAt: '2025-01-31T09:31:05.000Z',
  baseSha: SHA_A,
  headSha: SHA_B,
  inputs: [
    { name: 'alignment', sha256: ALIGNMENT_DIGEST },
    { name: 'feedback', sha256: 'f'.repeat(64) },
  ],
  output: { name: 'implementation', sha256: IMPLEMENTATION_DIGEST },
  metrics: metrics({
    turns: 17,
    durationMs: 665_000,
    costUsd: 0.2115,
    inputTokens: 12_000,
    outputTokens: 9_100,
    cacheCreationInputTokens: 5_000,
    cacheReadInputTokens: 200_000,
  }),
  runId: '9876543210',
};

/**
 * A session awaiting verification after a real history: alignment passed, implementation failed once on its token
 * budget and passed on a retry with feedback.
 */
export function awaitingVerification(): Ledger {
  return {
    ...baseLedger(),
    task: { title: 'Log out', text: '### 2.4 Log out\n\nUsers can log out.', source: 'docs/ROADMAP.md#L42' },
    createdAt: '2025-01-31T09:00:00.000Z',
    status: {
      kind: 'awaiting',
      gate: 'verification',
      approves: { digest: IMPLEMENTATION_DIGEST, head: SHA_B },
    },
    attempts: { alignment: 1, implementation: 2, verification: 0, commit: 0 },
    digests: { alignment: ALIGNMENT_DIGEST, implementation: IMPLEMENTATION_DIGEST },
    runs: [alignment1, implementation1, implementation2],
    approvals: [
      {
        gate: 'implementation',
        approver: 'bob',
        approvedDigest: ALIGNMENT_DIGEST,
        branchHead: SHA_A,
        at: '2025-01-31T09:05:00.000Z',
      },
    ],
    events: [
      {
        at: '2025-01-31T09:00:00.000Z',
        type: 'session-started',
        actor: 'alice',
        detail: "I'm going to start phase 2.4",
      },
      {
        at: '2025-01-31T09:20:00.000Z',
        type: 'retry',
        actor: 'alice',
        detail: 'Reuse the existing session store.\nDo not add a dependency.\nKeep the 204.',
      },
    ],
  };
}

/** Verification approved, then blocked on failing criteria with a long, escape-laden reason. */
export function blockedVerification(reason: string): Ledger {
  const ledger = awaitingVerification();
  return {
    ...ledger,
    status: { kind: 'blocked', phase: 'verification', attempt: 1, reason },
    attempts: { ...ledger.attempts, verification: 1 },
    runs: [
      ...ledger.runs,
      {
        phase: 'verification',
        attempt: 1,
        status: 'blocked',
        startedAt: '2025-01-31T10:00:00.000Z',
        finishedAt: '2025-01-31T10:02:30.000Z',
        baseSha: SHA_B,
        headSha: SHA_B,
        inputs: [{ name: 'implementation', sha256: IMPLEMENTATION_DIGEST }],
        output: { name: 'verification', sha256: VERIFICATION_DIGEST },
        metrics: metrics({
          turns: 6,
          durationMs: 150_000,
          costUsd: 0.0789,
          inputTokens: 3_000,
          outputTokens: 2_500,
          cacheCreationInputTokens: 9_000,
          cacheReadInputTokens: 40_000,
        }),
      },
    ],
    approvals: [
      ...ledger.approvals,
      {
        gate: 'verification',
        approver: 'carol',
        approvedDigest: IMPLEMENTATION_DIGEST,
        branchHead: SHA_B,
        at: '2025-01-31T09:59:59.000Z',
      },
    ],
  };
}

/** Verification running since `startedAt`, nothing measured yet. */
export function runningVerification(startedAt: string): Ledger {
  const ledger = awaitingVerification();
  return {
    ...ledger,
    status: { kind: 'running', phase: 'verification', attempt: 1 },
    attempts: { ...ledger.attempts, verification: 1 },
    runs: [
      ...ledger.runs,
      { phase: 'verification', attempt: 1, status: 'running', startedAt, baseSha: SHA_B, inputs: [] },
    ],
  };
}
