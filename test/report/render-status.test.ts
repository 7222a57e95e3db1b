import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { visibleWidth } from '../../src/report/format.ts';
import { renderStatus, statusJson } from '../../src/report/render-status.ts';
import { statusReportSchema } from '../../src/report/status-report-schema.ts';
import { toJsonSchema } from '../../src/state/json-schema.ts';
import type { Ledger } from '../../src/state/ledger.ts';
import { ledger as fixtureLedger, SESSION } from '../state/fixtures.ts';
import { awaitingVerification, blockedVerification, runningVerification } from './render-fixtures.ts';

const NOW = new Date('2025-01-31T10:10:00.000Z');
const BLOCKED_REASON = [
  '2 of 3 criteria fail:',
  'AC-2 \x1b[31mfails\x1b[0m: POST /logout answers 200, expected 204',
  'AC-3 unverified: no test covers token logging',
  'gap: README.md changed outside scope',
  'check: npm test exited 1',
  'check: npm run lint exited 0',
].join('\n');

function lines(ledger: Ledger, color = false): string[] {
  return renderStatus(ledger, { now: NOW, color }).split('\n');
}

/** The cells of the line starting with `first`, split where two or more spaces separate them. */
function row(rendered: string[], first: string): string[] {
  const line = rendered.find((l) => l.startsWith(`${first} `));
  if (line === undefined) throw new Error(`no line starts with "${first}" in:\n${rendered.join('\n')}`);
  return line.trim().split(/\s{2,}/);
}

function tableLines(rendered: string[]): string[] {
  const start = rendered.findIndex((l) => stripVTControlCharacters(l).startsWith('phase '));
  if (start === -1) throw new Error('no table header');
  return rendered.slice(start, start + 6);
}

describe('renderStatus', () => {
  it('names the session, task, branch and state, and what the awaited approval binds to', () => {
    const out = lines(awaitingVerification());
    expect(out.slice(0, 5)).toEqual([
      `session   ${SESSION}`,
      'task      2.4 · Log out  (docs/ROADMAP.md#L42)',
      `branch    ipo/${SESSION} from main · started by alice`,
      'state     awaiting:verification',
      'approves  sha256:5e6f7a8b at head bbbbbbb',
    ]);
  });

  it('cuts a long task title and strips escapes from it', () => {
    const ledger = awaitingVerification();
    const title = `\x1b[31mRed\x1b[0m ${'word '.repeat(40)}`;
    const task = row(lines({ ...ledger, task: { ...ledger.task, title } }), 'task');
    expect(task[1]).toMatch(/^2\.4 · Red word word .*…$/);
    expect(task[1]).toHaveLength('2.4 · '.length + 80);
  });

  it('lists what to type next as a CLI call and as the exact phrase, approval first', () => {
    const out = lines(awaitingVerification());
    expect(row(out, 'next')).toEqual([
      'next',
      'ipo proceed verification',
      'or',
      'ipo "proceed to verification"',
    ]);
    const next = out.slice(
      out.findIndex((l) => l.startsWith('next')),
      out.indexOf(''),
    );
    expect(next.map((l) => l.slice(10).split(/\s{2,}/)[0])).toEqual([
      'ipo proceed verification',
      'ipo rollback alignment',
      'ipo rollback implementation',
      'ipo rollback verification',
      'ipo cancel',
    ]);
    expect(next.at(-1)).toContain('ipo "cancel session"');
    expect(out.join('\n')).not.toContain('ipo status');
  });

  it('offers only cancel while a phase runs, and counts its time so far', () => {
    const out = lines(runningVerification('2025-01-31T10:00:00.000Z'));
    expect(row(out, 'state')).toEqual(['state', 'verifying']);
    expect(row(out, 'next')).toEqual(['next', 'ipo cancel', 'or', 'ipo "cancel session"']);
    expect(out.filter((l) => l.startsWith('   '))).toEqual([]);
    expect(row(out, 'verification')).toEqual(['verification', 'running', '1', '10m 00s', '-', '-', '-', '-']);
    expect(row(out, 'total')).toEqual(['total', '28m 45s', '342.5k', '74.3k', '275.5k', '$1.2831']);
  });

  it('shows each phase with its latest state and attempt and the figures of all its attempts, then a total', () => {
    const out = lines(awaitingVerification());
    expect(row(out, 'phase')).toEqual([
      'phase',
      'state',
      'attempt',
      'duration',
      'input tok',
      'output tok',
      'cache read',
      'cost',
    ]);
    expect(row(out, 'alignment')).toEqual([
      'alignment',
      'succeeded',
      '1',
      '40.1s',
      '25.5k',
      '1.2k',
      '15.5k',
      '$0.0456',
    ]);
    // Attempt 1 failed and attempt 2 succeeded: both count towards time, tokens and cost.
    expect(row(out, 'implementation')).toEqual([
      'implementation',
      'succeeded',
      '2',
      '18m 05s',
      '317.0k',
      '73.1k',
      '260.0k',
      '$1.2375',
    ]);
    expect(row(out, 'verification')).toEqual(['verification', 'pending', '-', '-', '-', '-', '-', '-']);
    expect(row(out, 'commit')).toEqual(['commit', 'pending', '-', '-', '-', '-', '-', '-']);
    expect(row(out, 'total')).toEqual(['total', '18m 45s', '342.5k', '74.3k', '275.5k', '$1.2831']);
  });

  it('aligns every column: all table lines are equally wide and figures end in the same column', () => {
    const table = tableLines(lines(blockedVerification(BLOCKED_REASON)));
    expect(new Set(table.map((l) => l.length)).size).toBe(1);
    const header = table[0] ?? '';
    const durationEnd = header.indexOf('duration') + 'duration'.length;
    for (const line of table.slice(1)) expect(line[durationEnd]).toBe(' ');
    expect(table[1]?.slice(0, durationEnd).endsWith('40.1s')).toBe(true);
    expect(table[5]?.slice(0, durationEnd).endsWith('21m 15s')).toBe(true);
  });

  it('prints no escape code at all with colour off, even when the error text carries some', () => {
    const text = renderStatus(blockedVerification(BLOCKED_REASON), { now: NOW, color: false });
    expect(text).not.toContain('\x1b');
  });

  it('with colour on, styles the output yet lays it out exactly as without colour', () => {
    const ledger = blockedVerification(BLOCKED_REASON);
    const colored = renderStatus(ledger, { now: NOW, color: true });
    expect(colored).toContain('\x1b[33mblocked\x1b[39m');
    expect(colored).toContain('\x1b[32msucceeded\x1b[39m');
    expect(stripVTControlCharacters(colored)).toBe(renderStatus(ledger, { now: NOW, color: false }));
    const table = tableLines(colored.split('\n'));
    expect(new Set(table.map(visibleWidth)).size).toBe(1);
  });

  it('shows why a phase blocked under the table, cut to four lines, with its escapes removed', () => {
    const out = lines(blockedVerification(BLOCKED_REASON));
    const at = out.indexOf('verification blocked (attempt 1):');
    expect(at).toBeGreaterThan(out.findIndex((l) => l.startsWith('total')));
    expect(out.slice(at, at + 6)).toEqual([
      'verification blocked (attempt 1):',
      '  2 of 3 criteria fail:',
      '  AC-2 fails: POST /logout answers 200, expected 204',
      '  AC-3 unverified: no test covers token logging',
      '  gap: README.md changed outside scope',
      '  … 2 more lines',
    ]);
    expect(out.length).toBe(at + 6);
  });

  it('shows a failed run error from the run itself when the status has moved on', () => {
    const ledger = awaitingVerification();
    const failed: Ledger = {
      ...ledger,
      status: { kind: 'cancelled' },
      runs: ledger.runs.slice(0, 2),
    };
    const out = lines(failed);
    expect(row(out, 'state')).toEqual(['state', 'cancelled']);
    expect(row(out, 'implementation').slice(0, 3)).toEqual(['implementation', 'failed', '1']);
    const at = out.indexOf('implementation failed (attempt 1):');
    expect(out.slice(at + 1)).toEqual([
      '  output-tokens budget exceeded: used 64000 of 64000',
      '  last tool: run_command (npm test)',
    ]);
  });

  it('cuts a very long error line to fit a terminal', () => {
    const out = lines(blockedVerification(`x${'y'.repeat(500)}`));
    const line = out.at(-1) ?? '';
    expect(line.length).toBe(162);
    expect(line.endsWith('y…')).toBe(true);
  });

  it('offers a new session for the task once the session is complete', () => {
    const ledger: Ledger = { ...awaitingVerification(), status: { kind: 'complete' } };
    expect(row(lines(ledger), 'next')).toEqual([
      'next',
      'ipo start 2.4',
      'or',
      `ipo "I'm going to start phase 2.4"`,
    ]);
  });

  it('renders the shared state fixture, whose cached input counts towards input tokens', () => {
    expect(row(lines(fixtureLedger()), 'alignment')).toEqual([
      'alignment',
      'succeeded',
      '1',
      '900 ms',
      '110',
      '5',
      '0',
      '$0.0100',
    ]);
  });
});

describe('statusJson', () => {
  it('matches its documented schema and survives a JSON round trip unchanged', () => {
    const json = statusJson(blockedVerification(BLOCKED_REASON), { now: NOW });
    expect(statusReportSchema.parse(json)).toEqual(json);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it('exports as a JSON Schema that documents every field, ready to publish beside the others', () => {
    const schema = toJsonSchema(statusReportSchema);
    expect(schema).toMatchObject({
      $id: 'https://ipo.dev/schemas/status.json',
      title: 'Session status report',
    });
    expect(Object.keys(schema.properties as object)).toEqual(Object.keys(statusJson(awaitingVerification())));
  });

  it('carries the state label, the next commands and the same figures as the table', () => {
    const json = statusJson(awaitingVerification());
    expect(json).toMatchObject({
      schema: 'ipo.status/v1',
      session: SESSION,
      task: { id: '2.4', title: 'Log out', source: 'docs/ROADMAP.md#L42' },
      state: 'awaiting:verification',
      status: { kind: 'awaiting', gate: 'verification' },
    });
    expect(json.next[0]).toEqual({ phrase: 'proceed to verification', cli: 'ipo proceed verification' });
    expect(json.next.map((n) => n.phrase)).not.toContain('ipo status');
    expect(json.phases.map((p) => [p.phase, p.state, p.attempt, p.runs])).toEqual([
      ['alignment', 'succeeded', 1, 1],
      ['implementation', 'succeeded', 2, 2],
      ['verification', 'pending', null, 0],
      ['commit', 'pending', null, 0],
    ]);
    expect(json.phases[1]).toMatchObject({
      durationMs: 1_085_000,
      inputTokens: 317_000,
      outputTokens: 73_100,
      cacheReadInputTokens: 260_000,
      costUsd: 1.2375,
      error: null,
      startedAt: '2025-01-31T09:20:00.000Z',
      finishedAt: '2025-01-31T09:31:05.000Z',
    });
    expect(json.totals).toEqual({
      durationMs: 1_125_100,
      inputTokens: 342_500,
      outputTokens: 74_334,
      cacheReadInputTokens: 275_500,
      costUsd: 1.2831,
    });
  });

  it('gives a running phase a duration only when told the time, and null figures before any metrics', () => {
    const ledger = runningVerification('2025-01-31T10:00:00.000Z');
    expect(statusJson(ledger).phases[2]).toMatchObject({
      state: 'running',
      durationMs: null,
      inputTokens: null,
    });
    expect(statusJson(ledger, { now: NOW }).phases[2]).toMatchObject({ durationMs: 600_000, costUsd: null });
  });

  it('reports the blocked reason of the latest run', () => {
    const json = statusJson(blockedVerification(BLOCKED_REASON));
    expect(json.phases[2]?.error).toBe(BLOCKED_REASON);
    expect(json.state).toBe('blocked:verification');
  });
});
