import { describe, expect, it } from 'vitest';
import { statusMarkerFor } from '../../src/github/status-marker.ts';
import { renderJobSummary } from '../../src/report/job-summary.ts';
import { renderStatus } from '../../src/report/render-status.ts';
import { renderMarkerComment, renderStatusComment } from '../../src/report/render-status-comment.ts';
import { statusReport } from '../../src/report/status-report.ts';
import type { Ledger, Run } from '../../src/state/ledger.ts';
import { ledger } from '../state/fixtures.ts';

const REASON = 'bubblewrap is not installed at /nonexistent/bwrap (install it: `apt-get install bubblewrap`)';
const runUrl = (id: number) => `https://github.com/octo/demo/actions/runs/${id}`;

/** The fixture's ledger with implementation attempts 1 (unsandboxed, as recorded) and 2 (sandboxed, or not). */
function withImplementationRuns(second: Partial<Run> = {}): Ledger {
  const l = ledger();
  const run = (attempt: number, extra: Partial<Run>): Run => ({
    phase: 'implementation',
    attempt,
    status: 'succeeded',
    startedAt: l.createdAt,
    finishedAt: l.createdAt,
    inputs: [],
    ...extra,
  });
  l.runs.push(run(1, { status: 'failed', error: 'tests failed', unsandboxed: REASON }), run(2, second));
  return l;
}

const surfaces: [string, (l: Ledger) => string][] = [
  [
    'the status comment',
    (l) =>
      renderStatusComment({
        ledger: l,
        marker: statusMarkerFor(l, { repo: 'octo/demo', issueNumber: 7, version: 2 }),
        runUrl,
      }),
  ],
  [
    'the job summary',
    (l) => renderJobSummary({ ledger: l, phase: 'implementation', attempt: 2, outcome: 'succeeded' }),
  ],
  ['ipo status', (l) => renderStatus(l, { now: new Date(l.createdAt), color: false })],
];

describe('a phase whose commands ran without the sandbox', () => {
  it('is in the report model for its phase only, with every attempt that ran unsandboxed', () => {
    const rows = statusReport(withImplementationRuns({ unsandboxed: 'bwrap: setting up uid map' })).phases;
    expect(rows.find((r) => r.phase === 'implementation')?.unsandboxed).toEqual({
      attempts: [1, 2],
      reason: 'bwrap: setting up uid map',
    });
    expect(rows.filter((r) => r.unsandboxed !== null).map((r) => r.phase)).toEqual(['implementation']);
  });

  it.each(surfaces)('%s says so for that phase, with the reason the phase recorded', (_surface, render) => {
    const text = render(withImplementationRuns());
    expect(text).toContain("ipo ran the implementation phase's commands WITHOUT a sandbox (attempt 1;");
    expect(text).toContain('sandbox.required is false in .github/ipo.yml');
    expect(text).toContain('bubblewrap is not installed at /nonexistent/bwrap');
    expect(text).not.toContain("the alignment phase's commands");
  });

  it.each(surfaces)('%s says nothing of it when every run was sandboxed', (_surface, render) => {
    const l = ledger();
    expect(render(l)).not.toContain('WITHOUT a sandbox');
  });

  it('the status comment keeps the recorded reason inert: no mention, no HTML', () => {
    const l = withImplementationRuns();
    const first = l.runs.find((r) => r.phase === 'implementation');
    if (first) first.unsandboxed = 'bwrap at <img src=x> said @octocat';
    const text = surfaces[0]?.[1](l) ?? '';
    expect(text).toContain('> [!WARNING]');
    expect(text).toContain('bwrap at \\<img src=x\\> said');
    expect(text).not.toMatch(/@octocat/);
  });

  it('the app’s comment from the marker alone has no figures and no such note (the job’s next one has)', () => {
    const l = withImplementationRuns();
    const text = renderMarkerComment(
      statusMarkerFor(l, { repo: 'octo/demo', issueNumber: 7, version: 2 }),
      runUrl,
    );
    expect(text).not.toContain('WITHOUT a sandbox');
  });
});
