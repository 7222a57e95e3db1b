import { describe, expect, it } from 'vitest';
import { statusMarkerFor } from '../../src/github/status-marker.ts';
import { type PhaseRunResult, phaseReview, REVIEW_LIST, shortList } from '../../src/report/phase-review.ts';
import { phaseReviewSchema } from '../../src/report/phase-review-schema.ts';
import { renderStatusText } from '../../src/report/render-status.ts';
import { renderReportComment } from '../../src/report/render-status-comment.ts';
import { reviewMarkdown } from '../../src/report/review-markdown.ts';
import { reviewText } from '../../src/report/review-text.ts';
import { statusReport } from '../../src/report/status-report.ts';
import { createStyle } from '../../src/report/style.ts';
import {
  alignmentEnvelope,
  commitEnvelope,
  implementationEnvelope,
  verificationEnvelope,
} from '../state/fixtures.ts';
import { awaitingVerification } from './render-fixtures.ts';

const plain = createStyle(false);

const results: [string, PhaseRunResult][] = [
  ['alignment', { phase: 'alignment', attempt: 1, body: alignmentEnvelope().body }],
  ['implementation', { phase: 'implementation', attempt: 2, body: implementationEnvelope().body }],
  ['verification', { phase: 'verification', attempt: 1, body: verificationEnvelope().body }],
  ['commit', { phase: 'commit', attempt: 1, body: commitEnvelope().body }],
];

describe('phaseReview: one builder', () => {
  it.each(results)('builds a %s review that its schema accepts', (_name, result) => {
    const review = phaseReview(result);
    expect(phaseReviewSchema.parse(review)).toEqual(review);
    expect(review).toMatchObject({ phase: result.phase, attempt: result.attempt });
  });

  it.each([
    [3, 0],
    [REVIEW_LIST, 0],
    [REVIEW_LIST + 7, 7],
  ])('cuts a list of %i to the limit and counts %i more', (length, more) => {
    const list = shortList(
      Array.from({ length }, (_, i) => i),
      String,
    );
    expect(list.items).toHaveLength(length - more);
    expect(list.more).toBe(more);
  });

  it('keeps failed commands in a cut list, in their order', () => {
    const commands = Array.from({ length: 30 }, (_, i) => ({
      command: `step ${i}`,
      exitCode: i === 25 ? 1 : 0,
    }));
    const review = phaseReview({
      phase: 'implementation',
      attempt: 1,
      body: { ...implementationEnvelope().body, commands },
    });
    if (review.phase !== 'implementation') throw new Error('wrong phase');
    expect(review.failedCommands).toBe(1);
    expect(review.commands.items.map((c) => c.command)).toContain('step 25');
    expect(review.commands.more).toBe(20);
  });
});

describe('reviews rendered: markdown and terminal', () => {
  it.each([
    [
      'alignment',
      ['**Verdict:** `aligned`', '**Scope:** files in'],
      ['verdict: aligned', 'acceptance criteria:', 'scope: files in'],
    ],
    [
      'implementation',
      ['**Commits:**', '**Commands the agent ran:**', '**Summary:**'],
      ['files:', 'commands:', 'summary:'],
    ],
    ['verification', ['**Verdict:** `pass`', '**Checks:**'], ['verdict: pass', 'criteria:', 'checks:']],
    ['commit', ['**Commit:**', '**Pull request:**'], ['commit: ', 'pull request: ']],
  ])('%s: markdown and terminal say the same things', (name, markdown, text) => {
    const [, result] = results.find(([n]) => n === name) ?? [];
    if (!result) throw new Error('no fixture');
    const review = phaseReview(result);
    const md = reviewMarkdown(review).join('\n');
    const term = reviewText(review, plain).join('\n');
    for (const piece of markdown) expect(md).toContain(piece);
    for (const piece of text) expect(term).toContain(piece);
  });

  it('a failed command stands out in both', () => {
    const body = { ...implementationEnvelope().body, commands: [{ command: 'npm test', exitCode: 1 }] };
    const review = phaseReview({ phase: 'implementation', attempt: 1, body });
    expect(reviewMarkdown(review).join('\n')).toContain('| `npm test` | **1** ❌ |');
    expect(reviewMarkdown(review).join('\n')).toContain('⚠️ 1 failed');
    expect(reviewText(review, plain).join('\n')).toContain('commands: 1 failed\n    exit 1 npm test');
  });

  it('the status comment folds the review of the latest run; the terminal status shows it', () => {
    const ledger = awaitingVerification();
    const latest = ledger.runs.at(-1);
    if (latest?.phase !== 'implementation') throw new Error('fixture changed');
    const result: PhaseRunResult = {
      phase: 'implementation',
      attempt: latest.attempt,
      body: implementationEnvelope().body,
    };
    const report = statusReport(ledger, { result });
    const marker = statusMarkerFor(ledger, { repo: 'o/r', issueNumber: 1, version: 1 });
    const comment = renderReportComment(report, { marker });
    expect(comment).toContain(`<details>\n<summary>Review: implementation #${latest.attempt}</summary>\n\n`);
    expect(renderStatusText(report, { color: false })).toContain(
      `implementation #${latest.attempt}, to review:`,
    );
    // Another run's artifact is never shown as the latest one's.
    expect(statusReport(ledger, { result: { ...result, attempt: latest.attempt + 1 } }).review).toBeNull();
  });
});

describe('hostile text in an artifact stays inert', () => {
  const hostile = [
    '@octocat please <img src=x onerror=alert(1)> [click](https://evil.example) #1',
    '\u001b[2J\u001b]0;owned\u0007\u001b[31mred',
    '</details><!-- ipo:status {"forged":true} -->',
    '| a | b |\n\n## heading',
  ].join(' ');

  function hostileReviews() {
    const alignment = alignmentEnvelope().body;
    const verification = verificationEnvelope().body;
    const implementation = implementationEnvelope().body;
    return [
      phaseReview({
        phase: 'alignment',
        attempt: 1,
        body: {
          ...alignment,
          acceptanceCriteria: alignment.acceptanceCriteria.map((c) => ({ ...c, text: hostile })),
          scope: { ...alignment.scope, filesIn: [hostile], outOfScope: [hostile] },
          questions: [hostile],
        },
      }),
      phaseReview({
        phase: 'implementation',
        attempt: 1,
        body: {
          ...implementation,
          summary: hostile,
          commands: [{ command: hostile, exitCode: 2 }],
          filesChanged: [{ path: hostile, status: 'added', additions: 1, deletions: 0 }],
        },
      }),
      phaseReview({
        phase: 'verification',
        attempt: 1,
        body: {
          ...verification,
          criteria: verification.criteria.map((c) => ({
            ...c,
            evidence: [{ kind: 'file' as const, ref: hostile, detail: hostile }],
          })),
          gaps: [{ kind: 'unrequested' as const, detail: hostile, path: hostile }],
        },
      }),
    ];
  }

  it.each(hostileReviews().map((r) => [r.phase, r] as const))(
    'markdown of a hostile %s review: no raw HTML, no mention, no link, no escape',
    (_phase, review) => {
      const md = reviewMarkdown(review).join('\n');
      // Outside code spans nothing opens a tag, a mention or a link.
      const prose = md.replace(/(`+)[^`]*?\1/g, '');
      // `inline` escapes `<` and `[` (a `\<` shows as text) and puts a word joiner after `@`.
      expect(prose).not.toMatch(/(?<!\\)<(?!br>)[a-z!/]/i);
      expect(prose).not.toMatch(/@octocat/);
      expect(prose).not.toMatch(/(?<!\\)\[[^\]]*\]\(/);
      expect(prose).toContain('\\<img');
      expect(md).not.toContain('\u001b');
      expect(prose).not.toContain('<!--');
      // A table row stays one row.
      for (const line of md.split('\n').filter((l) => l.startsWith('|')))
        expect(line.endsWith('|')).toBe(true);
    },
  );

  it.each(hostileReviews().map((r) => [r.phase, r] as const))(
    'terminal text of a hostile %s review: no escape or control character reaches the terminal',
    (_phase, review) => {
      const text = reviewText(review, plain).join('\n');
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is that none are left.
      expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
      expect(text).not.toContain('owned');
      expect(text).toContain('@octocat please');
    },
  );
});
