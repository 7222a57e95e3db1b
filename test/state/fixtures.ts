import type { EnvelopeOf } from '../../src/state/envelope.ts';
import type { Ledger } from '../../src/state/ledger.ts';

export const SESSION = 'phase-2.4-20250131';
export const SHA_A = 'a'.repeat(40);
export const SHA_B = 'b'.repeat(40);
export const DIGEST = 'd'.repeat(64);
export const AT = '2025-01-31T12:00:00.000Z';

/** A valid alignment envelope; tests change one field at a time. */
export function alignmentEnvelope(): EnvelopeOf<'alignment'> {
  return {
    schema: 'ipo.alignment/v1',
    session: SESSION,
    phase: 'alignment',
    attempt: 1,
    createdAt: AT,
    inputs: [{ name: 'task', sha256: DIGEST }],
    body: {
      specRef: { path: 'docs/SPEC.md', blobSha: SHA_A },
      verdict: 'aligned',
      requirements: [{ id: 'R-1', text: 'Users can log out.', source: 'docs/SPEC.md#sessions' }],
      acceptanceCriteria: [
        { id: 'AC-1', text: 'Given a session, when the user logs out, then it ends.', verifyBy: 'test' },
        { id: 'AC-2', text: 'The logout endpoint answers 204.', verifyBy: 'command' },
        { id: 'AC-3', text: 'No token is logged.', verifyBy: 'inspection' },
      ],
      tasks: ['Add the endpoint', 'Add the test'],
      scope: { filesIn: ['src/auth/**'], filesForbidden: ['migrations/**'], outOfScope: ['SSO'] },
      decisions: [{ decision: 'Use 204', rationale: 'Nothing to return.' }],
      risks: ['Cached sessions'],
      questions: [],
    },
  };
}

export function implementationEnvelope(): EnvelopeOf<'implementation'> {
  return {
    schema: 'ipo.implementation/v1',
    session: SESSION,
    phase: 'implementation',
    attempt: 2,
    createdAt: AT,
    inputs: [{ name: 'alignment', sha256: DIGEST }],
    body: {
      baseSha: SHA_A,
      headSha: SHA_B,
      commits: [{ sha: SHA_B, subject: 'Add logout' }],
      filesChanged: [
        { path: 'src/auth/logout.ts', status: 'added', additions: 20, deletions: 0 },
        {
          path: 'src/auth/old.ts',
          previousPath: 'src/auth/legacy.ts',
          status: 'renamed',
          additions: 1,
          deletions: 1,
        },
      ],
      summary: 'Adds POST /logout.',
      criteriaNotes: [{ id: 'AC-1', note: 'test/auth/logout.test.ts' }],
      commands: [
        { command: 'npm test', exitCode: 0 },
        { command: 'sleep 999', exitCode: null },
      ],
    },
  };
}

export function verificationEnvelope(): EnvelopeOf<'verification'> {
  return {
    schema: 'ipo.verification/v1',
    session: SESSION,
    phase: 'verification',
    attempt: 1,
    createdAt: AT,
    inputs: [
      { name: 'alignment', sha256: DIGEST },
      { name: 'implementation', sha256: DIGEST },
    ],
    body: {
      checks: [
        { command: 'npm test', exitCode: 0, durationMs: 1234, outputTail: '3 passed', kind: 'passed' },
      ],
      criteria: [
        {
          id: 'AC-1',
          status: 'pass',
          evidence: [{ kind: 'test', ref: 'logout ends the session', detail: 'passes' }],
        },
      ],
      gaps: [{ kind: 'unrequested', detail: 'README changed', path: 'README.md' }],
      verdict: 'pass',
    },
  };
}

export function commitEnvelope(): EnvelopeOf<'commit'> {
  return {
    schema: 'ipo.commit/v1',
    session: SESSION,
    phase: 'commit',
    attempt: 1,
    createdAt: AT,
    inputs: [{ name: 'verification', sha256: DIGEST }],
    body: {
      commitSha: SHA_B,
      message: 'feat(auth): add logout\n\nIpo-Session: phase-2.4-20250131\n',
      trailers: [
        { key: 'Ipo-Session', value: SESSION },
        { key: 'Approved-by', value: 'alice' },
        { key: 'Approved-by', value: 'bob' },
      ],
      pr: { number: 12, url: 'https://github.com/o/r/pull/12' },
    },
  };
}

/** A valid ledger of a session awaiting verification. */
export function ledger(): Ledger {
  return {
    schema: 'ipo.ledger/v1',
    session: SESSION,
    taskId: '2.4',
    startedBy: 'alice',
    task: { title: 'Median', text: '### 1.3 Median\n\nAdd median().', source: 'docs/ROADMAP.md#L20' },
    createdAt: AT,
    branch: `ipo/${SESSION}`,
    baseBranch: 'main',
    status: { kind: 'awaiting', gate: 'verification', approves: { digest: DIGEST, head: SHA_B } },
    attempts: { alignment: 1, implementation: 2, verification: 0, commit: 0 },
    bases: { alignment: SHA_A, implementation: SHA_A },
    digests: { alignment: DIGEST, implementation: DIGEST },
    runs: [
      {
        phase: 'alignment',
        attempt: 1,
        status: 'succeeded',
        startedAt: AT,
        finishedAt: AT,
        baseSha: SHA_A,
        headSha: SHA_A,
        inputs: [{ name: 'task', sha256: DIGEST }],
        output: { name: 'alignment', sha256: DIGEST },
        metrics: {
          model: 'claude-sonnet-4-5',
          turns: 1,
          durationMs: 900,
          costUsd: 0.01,
          inputTokens: 10,
          outputTokens: 5,
          cacheCreationInputTokens: 100,
          cacheReadInputTokens: 0,
          peakInputTokens: 110,
          calls: [
            {
              inputTokens: 10,
              outputTokens: 5,
              cacheCreationInputTokens: 100,
              cacheReadInputTokens: 0,
              stopReason: 'tool_use',
              durationMs: 800,
            },
          ],
        },
        runId: '123456789',
      },
    ],
    approvals: [
      {
        gate: 'implementation',
        approver: 'bob',
        commentUrl: 'https://github.com/o/r/issues/1#issuecomment-1',
        approvedDigest: DIGEST,
        branchHead: SHA_A,
        at: AT,
      },
    ],
    events: [{ at: AT, type: 'session-started', actor: 'alice', detail: 'I am going to start phase 2.4' }],
  };
}
