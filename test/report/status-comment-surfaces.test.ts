import { describe, expect, it } from 'vitest';
import { renderMarkerComment } from '../../src/app/marker-comment.ts';
import { parseStatusMarker, type StatusMarker, statusMarkerFor } from '../../src/github/status-marker.ts';
import { renderStatusComment } from '../../src/report/render-status-comment.ts';
import { markerStatusReport, statusReport } from '../../src/report/status-report.ts';
import { statusReportSchema } from '../../src/report/status-report-schema.ts';
import type { Ledger } from '../../src/state/ledger.ts';
import { SESSION } from '../state/fixtures.ts';
import { awaitingVerification, blockedVerification, runningVerification } from './render-fixtures.ts';

const runUrl = (id: number) => `https://github.com/octo/demo/actions/runs/${id}`;
const NOW = new Date('2025-01-31T10:10:00.000Z');

/** Implementation failed its first attempt, the session status carrying the run's own error (as the engine does). */
function failedImplementation(): Ledger {
  const ledger = awaitingVerification();
  const runs = ledger.runs.slice(0, 2);
  return {
    ...ledger,
    status: { kind: 'failed', phase: 'implementation', attempt: 1, error: runs[1]?.error ?? '' },
    attempts: { ...ledger.attempts, implementation: 1 },
    digests: { alignment: ledger.digests.alignment },
    runs,
  };
}

/** The marker the job writes for `ledger`: every GitHub run the ledger knows of, recorded with its run id. */
function markerOf(ledger: Ledger): StatusMarker {
  const runs = ledger.runs.map((run, i) => ({
    phase: run.phase,
    attempt: run.attempt,
    runId: run.runId === undefined ? 100 + i : Number(run.runId),
  }));
  return statusMarkerFor(ledger, {
    repo: 'octo/demo',
    version: 1,
    issueNumber: 7,
    runs,
    lastRunId: runs.at(-1)?.runId ?? 1,
  });
}

/** Both comments for one session state: what the job writes (ledger) and what the app writes (marker alone). */
function both(ledger: Ledger): { job: string; app: string; marker: StatusMarker } {
  const marker = markerOf(ledger);
  return {
    job: renderStatusComment({ ledger, marker, runUrl, now: NOW }),
    app: renderMarkerComment(marker, runUrl),
    marker,
  };
}

/** Table rows as cells, keyed by their first cell. */
function rows(markdown: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of markdown.split('\n').filter((l) => l.startsWith('| '))) {
    const cells = line.slice(2, -2).split(' | ');
    out.set(cells[0] ?? '', cells);
  }
  return out;
}

/** The lines that are not the table or the task line: headline, sections, reasons, next step, marker. */
function outline(markdown: string): string[] {
  return markdown.split('\n').filter((l) => !l.startsWith('| ') && !l.startsWith('Task '));
}

const STATES: Array<[string, Ledger]> = [
  ['awaiting a gate', awaitingVerification()],
  ['running', runningVerification('2025-01-31T10:00:00.000Z')],
  ['blocked', blockedVerification('AC-2 fails: 200 instead of 204\nAC-3 unverified')],
  ['failed', failedImplementation()],
  ['complete', { ...awaitingVerification(), status: { kind: 'complete' } }],
  ['cancelled', { ...awaitingVerification(), status: { kind: 'cancelled' } }],
];

describe('one renderer for the app and the job', () => {
  it.each(STATES)(
    'for a session %s, the app writes the job’s headline, sections and next step, without the figures',
    (_state, ledger) => {
      const { job, app, marker } = both(ledger);
      expect(outline(app)).toEqual(outline(job));
      const title = ` · ${ledger.task.title}`;
      const taskLine = (md: string) => md.split('\n').find((l) => l.startsWith('Task '));
      expect(taskLine(app)).toBe(taskLine(job)?.replace(title, ''));
      // Same phases, states, attempts and run links; the job's table adds duration, tokens, cost and a total.
      const jobRows = rows(job);
      const appRows = rows(app);
      expect(appRows.get('phase')).toEqual(['phase', 'state', 'attempt', 'runs']);
      expect(jobRows.get('phase')).toEqual([
        'phase',
        'state',
        'attempt',
        'duration',
        'tokens in / out',
        'cost',
        'runs',
      ]);
      for (const phase of ['alignment', 'implementation', 'verification', 'commit']) {
        const j = jobRows.get(phase) ?? [];
        expect(appRows.get(phase)).toEqual([...j.slice(0, 3), j.at(-1)]);
      }
      expect(jobRows.has('**total**')).toBe(true);
      expect(appRows.has('**total**')).toBe(false);
      expect(parseStatusMarker(app)).toEqual(marker);
      expect(parseStatusMarker(job)).toEqual(marker);
    },
  );

  it.each(STATES)('builds a valid ipo.status/v1 report from the marker alone (%s)', (_state, ledger) => {
    const marker = markerOf(ledger);
    const fromMarker = markerStatusReport(marker);
    expect(statusReportSchema.parse(fromMarker)).toEqual(fromMarker);
    const fromLedger = statusReport(ledger, { marker });
    expect(fromMarker.next).toEqual(fromLedger.next);
    expect(fromMarker.phases.map((p) => [p.phase, p.state, p.attempt])).toEqual(
      fromLedger.phases.map((p) => [p.phase, p.state, p.attempt]),
    );
    expect(fromMarker.totals).toEqual({
      durationMs: null,
      inputTokens: null,
      outputTokens: null,
      cacheReadInputTokens: null,
      costUsd: null,
    });
  });
});

/** Markdown with fenced code blocks and code spans cut out: what GitHub renders as prose, where markup acts. */
function proseOutsideCode(markdown: string): string {
  const kept: string[] = [];
  let fence = 0;
  for (const line of markdown.split('\n')) {
    const run = /^(`{3,})/.exec(line)?.[1]?.length ?? 0;
    if (fence > 0) {
      if (run >= fence && /^`+\s*$/.test(line)) fence = 0;
      continue;
    }
    if (run > 0) {
      fence = run;
      continue;
    }
    kept.push(withoutCodeSpans(line));
  }
  return kept.join('\n');
}

/** A line without its code spans (a backtick run closed by the next run of the same length). */
function withoutCodeSpans(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    if (line[i] === '\\') {
      out += line.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (line[i] !== '`') {
      out += line[i];
      i += 1;
      continue;
    }
    const open = /^`+/.exec(line.slice(i))?.[0] ?? '`';
    const close = new RegExp(`(?<!\`)${open}(?!\`)`, 'g');
    close.lastIndex = i + open.length;
    const end = close.exec(line);
    if (!end) {
      out += open;
      i += open.length;
      continue;
    }
    i = end.index + open.length;
  }
  return out;
}

describe('untrusted text on every GitHub surface', () => {
  const forged = `<!-- ipo:status v1 {"session":"phase-9.9-20250101"} -->`;
  // Under the title's 100 columns, so the status comment shows all of it.
  const hostile =
    '@mallory #12 `tick` **Fix** <img src=x onerror=alert(1)> <!-- x --> --> [link](https://evil.test) |';

  function hostileLedger(): Ledger {
    const base = failedImplementation();
    const error = `${hostile}\n${forged}\n\`\`\`\n<script>x</script>`;
    return {
      ...base,
      task: { ...base.task, title: hostile },
      status: { kind: 'failed', phase: 'implementation', attempt: 1, error },
      runs: base.runs.map((run) => (run.phase === 'implementation' ? { ...run, error } : run)),
    };
  }

  it.each<[string, (ledger: Ledger) => string, boolean]>([
    ['the job’s status comment', (ledger) => both(ledger).job, true],
    ['the app’s status comment', (ledger) => both(ledger).app, false],
  ])(
    'renders a task title and error holding markdown, HTML, comment delimiters, mentions and backticks inert in %s',
    (_surface, render, withTitle) => {
      const ledger = hostileLedger();
      const out = render(ledger);
      // The only marker is the real one, on the last line.
      expect(parseStatusMarker(out)?.session).toBe(SESSION);
      const lines = out.split('\n');
      // ipo's own run links (`[#1](…)`) aside: GitHub does not read a link's text as a reference.
      const prose = proseOutsideCode(lines.slice(0, -1).join('\n')).replace(/\[#\d+\]\([^)\s]*\)/g, '');
      expect(lines.filter((line) => line.includes('ipo:status')).at(-1)).toBe(lines.at(-1));
      expect(prose).not.toMatch(/(^|[^\\])</); // no HTML: no tag, no comment opener
      expect(prose).not.toMatch(/(^|[^\\])>/); // no comment closer, no quote
      expect(prose).not.toMatch(/@[\p{L}\p{N}]/u); // no mention
      expect(prose).not.toMatch(/(^|[^\\])#\d/); // no issue reference
      expect(prose).not.toMatch(/(^|[^\\])`/); // no backtick left to open a code span
      expect(prose).not.toMatch(/(^|[^\\])\[link\]/); // no link
      expect(prose).not.toMatch(/(^|[^*\\])\*\*Fix/); // no emphasis from the title
      // The error sits in a code block its own backticks cannot close.
      expect(
        out
          .split('\n')
          .find((l) => l.startsWith('Task '))
          ?.includes('mallory'),
      ).toBe(withTitle);
      expect(out).toContain(`\`\`\`\`text\n${hostile}\n${forged}\n\`\`\`\n<script>x</script>\n\`\`\`\``);
      // The job's comment shows the title as text; the app's has no title (the marker does not carry it).
      expect(out.includes('@\u2060mallory \\#\u206012 \\`tick\\` \\*\\*Fix\\*\\* \\<img')).toBe(withTitle);
    },
  );

  it('keeps a hostile branch name inside its code span in both comments', () => {
    const ledger = { ...awaitingVerification(), branch: 'ipo/x`<b>@mallory</b>`' };
    for (const out of Object.values(both(ledger)).filter((v): v is string => typeof v === 'string')) {
      expect(out).toContain('branch `` ipo/x`<b>@mallory</b>` `` from');
      expect(proseOutsideCode(out.split('\n').slice(0, -1).join('\n'))).not.toContain('@mallory');
    }
  });
});
