import { describe, expect, it } from 'vitest';
import type { Phase } from '../../src/core/phases.ts';
import { type JobOutcome, renderJobSummary } from '../../src/report/job-summary.ts';
import {
  alignmentEnvelope,
  commitEnvelope,
  implementationEnvelope,
  SESSION,
  verificationEnvelope,
} from '../state/fixtures.ts';
import { awaitingVerification, blockedVerification } from './render-fixtures.ts';

/** The lines of the mermaid block, without its fences. */
function mermaid(markdown: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.indexOf('```mermaid');
  const end = lines.indexOf('```', start + 1);
  if (start === -1 || end === -1) throw new Error(`no mermaid block in:\n${markdown}`);
  return lines.slice(start + 1, end);
}

interface Chart {
  nodes: Map<string, string>;
  edges: Array<[string, string]>;
  classDefs: Set<string>;
  classes: Array<[string, string]>;
  unparsed: string[];
}

/** A strict reading of the subset of mermaid the summary writes; anything else lands in `unparsed`. */
function parseChart(lines: string[]): Chart {
  const chart: Chart = { nodes: new Map(), edges: [], classDefs: new Set(), classes: [], unparsed: [] };
  for (const line of lines.slice(1)) {
    const node = /^ {2}(\w+)(?:\["([^"]*)"\]|\{\{"([^"]*)"\}\})$/.exec(line);
    const edge = /^ {2}(\w+) --> (\w+)$/.exec(line);
    const classDef = /^ {2}classDef ([A-Za-z]+) [\w#:,-]+$/.exec(line);
    const klass = /^ {2}class (\w+) ([A-Za-z]+)$/.exec(line);
    if (node?.[1]) chart.nodes.set(node[1], node[2] ?? node[3] ?? '');
    else if (edge?.[1] && edge[2]) chart.edges.push([edge[1], edge[2]]);
    else if (classDef?.[1]) chart.classDefs.add(classDef[1]);
    else if (klass?.[1] && klass[2]) chart.classes.push([klass[1], klass[2]]);
    else chart.unparsed.push(line);
  }
  return chart;
}

function row(markdown: string, first: string): string[] {
  const line = markdown.split('\n').find((l) => l.startsWith(`| ${first} |`));
  if (!line) throw new Error(`no row "${first}" in:\n${markdown}`);
  return line.slice(2, -2).split(' | ');
}

const CHAIN = [
  'alignment',
  'gate_implementation',
  'implementation',
  'gate_verification',
  'verification',
  'gate_commit',
  'commit',
];

describe('renderJobSummary', () => {
  it.each<[Phase, JobOutcome]>([
    ['alignment', 'succeeded'],
    ['implementation', 'failed'],
    ['verification', 'blocked'],
    ['commit', 'cancelled'],
  ])('draws a well-formed flowchart with %s (%s) as the one current node', (phase, outcome) => {
    const out = renderJobSummary({ ledger: awaitingVerification(), phase, attempt: 1, outcome });
    const lines = mermaid(out);
    expect(lines[0]).toBe('flowchart LR');
    const chart = parseChart(lines);
    expect(chart.unparsed).toEqual([]);
    expect([...chart.nodes.keys()]).toEqual(CHAIN);
    expect(chart.edges).toEqual(CHAIN.slice(1).map((id, i) => [CHAIN[i], id]));
    for (const [id, name] of chart.classes) {
      expect(chart.nodes.has(id)).toBe(true);
      expect(chart.classDefs.has(name)).toBe(true);
    }
    expect(chart.classes.filter(([, name]) => name === 'current')).toEqual([[phase, 'current']]);
    expect(chart.classes).toContainEqual([phase, outcome]);
    expect(chart.nodes.get(phase)).toMatch(new RegExp(`^${phase}<br/>\\S+ ${outcome}<br/>attempt 1$`));
  });

  it('styles the other phases and gates from the ledger: approvals, the open gate, pending phases', () => {
    const chart = parseChart(
      mermaid(
        renderJobSummary({
          ledger: awaitingVerification(),
          phase: 'implementation',
          attempt: 2,
          outcome: 'succeeded',
        }),
      ),
    );
    expect(chart.classes).toEqual(
      expect.arrayContaining([
        ['alignment', 'succeeded'],
        ['gate_implementation', 'gateApproved'],
        ['gate_verification', 'gateWaiting'],
        ['verification', 'pending'],
        ['gate_commit', 'gateClosed'],
      ]),
    );
    expect(chart.nodes.get('gate_implementation')).toBe('proceed to implementation<br/>approved by bob');
    expect(chart.nodes.get('gate_verification')).toBe('proceed to verification<br/>waiting for approval');
  });

  it('tabulates metrics per phase with the job phase in bold, and a total', () => {
    const out = renderJobSummary({
      ledger: awaitingVerification(),
      phase: 'implementation',
      attempt: 2,
      outcome: 'succeeded',
    });
    expect(out.split('\n')[0]).toBe('## ✅ ipo implementation #2 succeeded');
    expect(out).toContain(`Session \`${SESSION}\``);
    expect(row(out, '**implementation**')).toEqual([
      '**implementation**',
      '✅ succeeded',
      '2',
      '18m 05s',
      '317.0k',
      '73.1k',
      '260.0k',
      '$1.2375',
    ]);
    expect(row(out, '**total**').slice(3)).toEqual(['18m 45s', '342.5k', '74.3k', '275.5k', '$1.2831']);
  });

  it('shows the verification result: criteria with evidence, checks with exit and kind, and gaps', () => {
    const body = verificationEnvelope().body;
    body.criteria.push({ id: 'AC-2', status: 'fail', evidence: [] });
    body.checks.push({
      command: "grep 'a|b' src",
      exitCode: null,
      durationMs: 60_000,
      outputTail: '',
      kind: 'environment-failure',
    });
    const out = renderJobSummary({
      ledger: blockedVerification('AC-2 fails'),
      phase: 'verification',
      attempt: 1,
      outcome: 'blocked',
      body,
    });
    expect(out).toContain('**Verdict:** `pass`');
    expect(row(out, 'AC-1')[1]).toBe('✅ pass');
    expect(row(out, 'AC-1')[2]).toMatch(/^test `logout ends the session`: /);
    expect(row(out, 'AC-2')).toEqual(['AC-2', '❌ fail', '-']);
    expect(row(out, '`npm test`')).toEqual(['`npm test`', '0', 'passed', '1.2s']);
    expect(out).toContain(
      "| `grep 'a\\|b' src` | **killed** ❌ | **environment-failure** (could not run) | 1m 00s |",
    );
    expect(row(out, 'unrequested')).toEqual(['unrequested', '`README.md`', 'README changed']);
    expect(out).toContain('### Why it blocked\n\n```text\nAC-2 fails\n```');
  });

  it('shows the alignment verdict, its criteria and its questions', () => {
    const body = {
      ...alignmentEnvelope().body,
      verdict: 'needs_clarification' as const,
      questions: ['Which <b>status</b>?'],
    };
    const out = renderJobSummary({
      ledger: awaitingVerification(),
      phase: 'alignment',
      attempt: 1,
      outcome: 'succeeded',
      body,
    });
    expect(out).toContain('**Verdict:** `needs_clarification` against `docs/SPEC.md`');
    expect(row(out, 'AC-2')).toEqual(['AC-2', 'command', 'The logout endpoint answers 204.']);
    expect(out).toContain('**Questions:**\n\n1. Which \\<b\\>status\\</b\\>?');
  });

  it('shows the files an implementation changed and its commits', () => {
    const out = renderJobSummary({
      ledger: awaitingVerification(),
      phase: 'implementation',
      attempt: 2,
      outcome: 'succeeded',
      body: implementationEnvelope().body,
    });
    expect(row(out, '`src/auth/logout.ts`')).toEqual(['`src/auth/logout.ts`', 'added', '+20 −0']);
    expect(row(out, '`src/auth/legacy.ts` → `src/auth/old.ts`')[1]).toBe('renamed');
    expect(out).toContain('**Commits:**\n\n- `bbbbbbb` Add logout');
  });

  it('shows the commit sha, the pull request and the trailers', () => {
    const out = renderJobSummary({
      ledger: awaitingVerification(),
      phase: 'commit',
      attempt: 1,
      outcome: 'succeeded',
      body: commitEnvelope().body,
    });
    expect(out).toContain(`**Commit:** \`${'b'.repeat(40)}\` feat(auth): add logout`);
    expect(out).toContain('**Pull request:** [#12](https://github.com/o/r/pull/12), ready for review');
    expect(out.split('\n').filter((l) => l.startsWith('| `Approved-by` |'))).toEqual([
      '| `Approved-by` | alice |',
      '| `Approved-by` | bob |',
    ]);
  });

  it('says so when a failed phase exported no artifact, and shows why it failed', () => {
    const ledger = awaitingVerification();
    const out = renderJobSummary({ ledger, phase: 'implementation', attempt: 1, outcome: 'failed' });
    expect(out).toContain(
      '### Why it failed\n\n```text\noutput-tokens budget exceeded: used 64000 of 64000\nlast tool',
    );
    expect(out).toContain('### Result: implementation\n\nNo artifact was exported.');
  });
});
