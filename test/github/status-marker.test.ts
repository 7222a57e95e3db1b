import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SessionStatus } from '../../src/core/session/session-state.ts';
import {
  markerView,
  parseStatusMarker,
  renderStatusMarker,
  type StatusMarker,
  statusMarkerFor,
} from '../../src/github/status-marker.ts';
import { digest } from '../../src/state/digest.ts';
import { toSessionView } from '../../src/state/to-session-view.ts';
import { DIGEST, ledger, SESSION, SHA_A, SHA_B } from '../state/fixtures.ts';

function marker(overrides: Partial<StatusMarker> = {}): StatusMarker {
  return {
    repo: 'octo/demo',
    session: SESSION,
    taskId: '2.4',
    branch: `ipo/${SESSION}`,
    state: { kind: 'awaiting', gate: 'verification', approves: { digest: DIGEST, head: SHA_B } },
    ledgerDigest: DIGEST,
    lastRunId: 42,
    runs: [
      { phase: 'alignment', attempt: 1, runId: 41, conclusion: 'success' },
      { phase: 'implementation', attempt: 1, runId: 42 },
    ],
    startedBy: 'alice',
    issueNumber: 7,
    baseBranch: 'main',
    attempts: { alignment: 1, implementation: 1, verification: 0, commit: 0 },
    bases: { alignment: SHA_A, implementation: SHA_A },
    digests: { alignment: DIGEST },
    version: 3,
    ...overrides,
  };
}

const HOSTILE = 'ends --> here, --!> too, <!-- opens, and <script>x</script> ---- dashes';

describe('renderStatusMarker / parseStatusMarker', () => {
  it.each<[string, SessionStatus]>([
    ['running', { kind: 'running', phase: 'implementation', attempt: 2 }],
    ['awaiting', { kind: 'awaiting', gate: 'commit', approves: { digest: DIGEST, head: SHA_B } }],
    ['failed', { kind: 'failed', phase: 'alignment', attempt: 1, error: 'budget exceeded' }],
    ['blocked', { kind: 'blocked', phase: 'verification', attempt: 3, reason: HOSTILE }],
    ['complete', { kind: 'complete' }],
    ['cancelled', { kind: 'cancelled' }],
  ])('reads back a %s marker exactly as written', (_kind, state) => {
    const written = marker({ state });
    expect(parseStatusMarker(`Status\n\n${renderStatusMarker(written)}`)).toEqual(written);
  });

  it('writes one HTML comment on one line whose JSON cannot end it early', () => {
    const text = renderStatusMarker(
      marker({ state: { kind: 'failed', phase: 'commit', attempt: 1, error: HOSTILE } }),
    );
    expect(text).toMatch(/^<!-- ipo:status v2 \{.*\} -->$/);
    expect(text.split('\n')).toHaveLength(1);
    expect(text.indexOf('-->')).toBe(text.length - 3);
    expect(text.slice(4, -3)).not.toMatch(/--|<|>/);
  });

  it('round-trips any reason text on one line with a single comment end', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (reason) => {
        const written = marker({ state: { kind: 'blocked', phase: 'verification', attempt: 1, reason } });
        const text = renderStatusMarker(written);
        expect(text.split(/\r\n|\r|\n/)).toHaveLength(1);
        expect(text.slice(4, -3)).not.toContain('--');
        expect(parseStatusMarker(`status\n\n${text}`)).toEqual(written);
      }),
    );
  });

  it('reads a marker followed by blank lines, in a CRLF body', () => {
    const written = marker();
    expect(parseStatusMarker(`table\r\n\r\n${renderStatusMarker(written)}\r\n\r\n`)).toEqual(written);
  });

  it.each<[string, (m: string) => string]>([
    ['inside a fenced code block', (m) => `see:\n\n\`\`\`\n${m}\n\`\`\``],
    ['inside a fence that is never closed', (m) => `see:\n\n~~~\n${m}`],
    ['inside indented code', (m) => `see:\n\n    ${m}`],
    ['inside a block quote', (m) => `> ${m}`],
    ['in inline code', (m) => `\`${m}\``],
    ['followed by more text', (m) => `${m}\nthanks`],
    ['inside an unclosed HTML comment', (m) => `<!-- note\n${m}`],
    ['with a marker version ipo does not know', (m) => m.replace(' v2 ', ' v3 ')],
    ['of the first version (wave 1)', (m) => m.replace(' v2 ', ' v1 ')],
    ['with broken JSON', (m) => m.replace('{"repo"', '{repo"')],
    ['with a field missing', (m) => m.replace('"taskId":"2.4",', '')],
    ['with a field ipo never writes', (m) => m.replace('{"repo"', '{"admin":true,"repo"')],
    ['with an invalid state', (m) => m.replace('"kind":"awaiting"', '"kind":"approved"')],
  ])('gives null for a marker %s', (_case, wrap) => {
    expect(parseStatusMarker(wrap(renderStatusMarker(marker())))).toBeNull();
  });

  it('gives null for a body without a marker', () => {
    expect(parseStatusMarker('proceed to verification')).toBeNull();
    expect(parseStatusMarker('')).toBeNull();
  });

  it('refuses to render a marker that breaks the schema', () => {
    expect(() => renderStatusMarker(marker({ issueNumber: 0 }))).toThrow();
  });
});

describe('statusMarkerFor', () => {
  it('takes session, task, branch, state and starter from the ledger and digests the ledger itself', () => {
    const l = ledger();
    expect(statusMarkerFor(l, { repo: 'octo/demo', issueNumber: 3, version: 2, lastRunId: 5 })).toEqual({
      repo: 'octo/demo',
      version: 2,
      session: SESSION,
      taskId: '2.4',
      branch: `ipo/${SESSION}`,
      state: l.status,
      ledgerDigest: digest(l),
      startedBy: 'alice',
      issueNumber: 3,
      lastRunId: 5,
      baseBranch: 'main',
      attempts: l.attempts,
      bases: l.bases,
      digests: l.digests,
    });
  });

  it('carries the session view the app decides on', () => {
    const view = markerView(statusMarkerFor(ledger(), { repo: 'octo/demo', issueNumber: 3, version: 1 }));
    expect(view).toEqual(toSessionView(ledger()));
  });

  it('cuts a long failure error so the comment stays within GitHub size limits', () => {
    const l = {
      ...ledger(),
      status: { kind: 'failed', phase: 'commit', attempt: 1, error: 'x'.repeat(10_000) },
    } as const;
    const state = statusMarkerFor(l, { repo: 'octo/demo', issueNumber: 3, version: 1 }).state;
    expect(state.kind === 'failed' && state.error.length).toBe(2000);
    expect(state.kind === 'failed' && state.error.endsWith('…')).toBe(true);
  });
});
