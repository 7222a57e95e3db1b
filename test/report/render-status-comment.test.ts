import { describe, expect, it } from 'vitest';
import { parseStatusMarker, statusMarkerFor } from '../../src/github/status-marker.ts';
import { renderStatusComment } from '../../src/report/render-status-comment.ts';
import type { Ledger } from '../../src/state/ledger.ts';
import { SESSION } from '../state/fixtures.ts';
import { awaitingVerification, blockedVerification, runningVerification } from './render-fixtures.ts';

const runUrl = (id: number) => `https://github.com/octo/demo/actions/runs/${id}`;

function render(ledger: Ledger, extra: Partial<Parameters<typeof renderStatusComment>[0]> = {}): string {
  const marker = statusMarkerFor(ledger, {
    repo: 'octo/demo',
    version: 1,
    issueNumber: 7,
    runs: [{ phase: 'alignment', attempt: 1, runId: 111 }],
  });
  return renderStatusComment({ ledger, marker, runUrl, now: new Date('2025-01-31T10:10:00.000Z'), ...extra });
}

/** The cells of the table row whose first cell is `first`. */
function row(markdown: string, first: string): string[] {
  const line = markdown.split('\n').find((l) => l.startsWith(`| ${first} |`));
  if (!line) throw new Error(`no row "${first}" in:\n${markdown}`);
  return line.slice(2, -2).split(' | ');
}

/** Implementation failed its first attempt; the session waits for a retry or rollback. */
function failedImplementation(): Ledger {
  const ledger = awaitingVerification();
  return {
    ...ledger,
    status: { kind: 'failed', phase: 'implementation', attempt: 1, error: 'output-tokens budget exceeded' },
    attempts: { ...ledger.attempts, implementation: 1 },
    digests: { alignment: ledger.digests.alignment },
    runs: ledger.runs.slice(0, 2),
  };
}

describe('renderStatusComment', () => {
  it('heads the comment with the session id and its state label', () => {
    expect(render(awaitingVerification()).split('\n')[0]).toBe(
      `### ⏸️ ipo \`${SESSION}\` · \`awaiting:verification\``,
    );
  });

  it('tabulates the four phases with state, attempt, duration, tokens, cost and run links', () => {
    const out = render(awaitingVerification());
    expect(row(out, 'implementation')).toEqual([
      'implementation',
      '✅ succeeded',
      '2',
      '18m 05s',
      '317.0k / 73.1k',
      '$1.2375',
      `[#2](${runUrl(9876543210)})`,
    ]);
    expect(row(out, 'alignment').at(-1)).toBe(`[#1](${runUrl(111)})`);
    expect(row(out, 'verification')).toEqual(['verification', '⚪ pending', '-', '-', '-', '-', '-']);
    expect(row(out, '**total**')).toEqual(['**total**', '', '', '18m 45s', '342.5k / 74.3k', '$1.2831', '']);
  });

  it('shows run ids without links when no run URL is known, and names the latest state artifact', () => {
    const ledger = awaitingVerification();
    const out = render(ledger, {
      runUrl: undefined,
      artifactName: (phase, attempt) => `ipo-${SESSION}-${phase}-${attempt}`,
    });
    expect(row(out, 'implementation').at(-1)).toBe('#2 (9876543210)');
    expect(out).toContain(
      `Latest state: run 9876543210 (9876543210) (artifact \`ipo-${SESSION}-implementation-2\`).`,
    );
  });

  it('gives the exact phrase that opens the gate in a code span, then the other options', () => {
    const out = render(awaitingVerification());
    expect(out).toContain(
      '**Next:** to start verification, comment `proceed to verification` on a line of its own (lines under it reach the phase as feedback).',
    );
    expect(out).toContain('It approves `sha256:5e6f7a8b` at head `bbbbbbb`');
    expect(out).toContain(
      'Other options: `rollback alignment` · `rollback implementation` · `rollback verification` · `cancel session`',
    );
  });

  it.each([
    [
      'failed',
      failedImplementation(),
      'implementation failed',
      'output-tokens budget exceeded',
      '`retry implementation`',
    ],
    [
      'blocked',
      blockedVerification('AC-2 fails: 200 instead of 204'),
      'verification blocked',
      'AC-2 fails',
      // After verification the implementation can be sent back too.
      '`retry implementation` · `retry verification`',
    ],
  ])(
    'offers retry, rollback and cancel for a %s phase, with the shortened reason',
    (_kind, ledger, heading, reason, retry) => {
      const out = render(ledger);
      expect(out).toContain(`**${heading}** (attempt 1):\n\n\`\`\`text\n${reason}`);
      expect(out).toMatch(new RegExp(`\\*\\*Next:\\*\\* comment one of ${retry} · .*\`cancel session\``));
      expect(out).not.toContain('proceed to');
    },
  );

  it('shows at most six lines of a long reason, each cut, and counts the rest', () => {
    const reason = Array.from({ length: 9 }, (_, i) => `line ${i + 1} ${'x'.repeat(300)}`).join('\n');
    const out = render(blockedVerification(reason));
    const block = out.slice(out.indexOf('```text') + 8, out.indexOf('\n```\n'));
    expect(block.split('\n')).toHaveLength(6);
    expect(block.split('\n').every((line) => line.length <= 200 && line.endsWith('…'))).toBe(true);
    expect(out).toContain('```\n… 3 more lines');
  });

  it.each<[string, Ledger]>([
    ['running', runningVerification('2025-01-31T10:00:00.000Z')],
    ['awaiting', awaitingVerification()],
    ['blocked', blockedVerification('no')],
    ['failed', failedImplementation()],
    ['complete', { ...awaitingVerification(), status: { kind: 'complete' } }],
    ['cancelled', { ...awaitingVerification(), status: { kind: 'cancelled' } }],
  ])('ends a %s comment with the marker it was given', (_kind, ledger) => {
    const marker = statusMarkerFor(ledger, { repo: 'octo/demo', version: 1, issueNumber: 7, lastRunId: 5 });
    const out = renderStatusComment({ ledger, marker });
    expect(parseStatusMarker(out)).toEqual(marker);
  });

  it('keeps hostile task text and reasons from forging a marker or opening HTML', () => {
    const forged = '<!-- ipo:status v1 {"session":"phase-9.9-20250101"} -->';
    const base = blockedVerification(`${forged}\n\`\`\`\n<img src=x onerror=alert(1)>`);
    const ledger = { ...base, task: { ...base.task, title: `<img src=x> ${forged} | pipe` } };
    const out = render(ledger);
    expect(parseStatusMarker(out)?.session).toBe(SESSION);
    expect(out).toContain('\\<img src=x\\> \\<\\!-- ipo:status v1');
    // The reason sits in a code block its own fence cannot close, so its HTML stays text.
    expect(out).toContain(`\`\`\`\`text\n${forged}\n\`\`\`\n<img src=x onerror=alert(1)>\n\`\`\`\``);
  });

  it('refuses a marker of another session', () => {
    const ledger = awaitingVerification();
    const marker = {
      ...statusMarkerFor(ledger, { repo: 'octo/demo', version: 1, issueNumber: 7 }),
      session: 'phase-9.9-20250101',
    };
    expect(() => renderStatusComment({ ledger, marker })).toThrow(/phase-9\.9-20250101/);
  });
});
