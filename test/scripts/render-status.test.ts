import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../scripts/sandbox/render-status.ts';
import type { SessionStatus } from '../../src/core/session/session-state.ts';
import { seededMarker } from '../app/seeded-marker.ts';

const HEAD = 'a'.repeat(40);

describe('sandbox `status`', () => {
  it.each<[string, SessionStatus, string[]]>([
    [
      'a failed phase',
      { kind: 'failed', phase: 'verification', attempt: 1, error: 'boom' },
      [
        // After verification the implementation can be sent back too.
        'retry implementation',
        'retry verification',
        'rollback alignment',
        'rollback implementation',
        'rollback verification',
        'cancel session',
      ],
    ],
    [
      'a blocked phase',
      { kind: 'blocked', phase: 'implementation', attempt: 2, reason: 'needs a decision' },
      ['retry implementation', 'rollback alignment', 'rollback implementation', 'cancel session'],
    ],
  ])('offers for %s every command the state machine accepts', (_, status, next) => {
    const marker = seededMarker('1.3', status, { issueNumber: 1, head: HEAD, startedBy: 'ada' });

    const lines = renderStatus(marker, new Map(), 0).split('\n');
    const first = lines.findIndex((line) => line.startsWith('next '));
    const offered = lines.slice(first, first + next.length).map((line) => line.slice(10));
    expect(offered).toEqual(next);
    expect(lines[first + next.length]?.startsWith(' ')).toBe(false);
  });

  it('shows the session as the one status report, with the reason and the runs the Actions API reports now', () => {
    const marker = {
      ...seededMarker(
        '1.3',
        { kind: 'failed', phase: 'verification', attempt: 1, error: 'boom\nsecond line' },
        {
          issueNumber: 1,
          head: HEAD,
          startedBy: 'ada',
        },
      ),
      runs: [{ phase: 'verification' as const, attempt: 1, runId: 42 }],
    };
    const out = renderStatus(marker, new Map([[42, { status: 'completed', conclusion: 'failure' }]]), 2);
    expect(out).toMatch(/^state +failed:verification$/m);
    expect(out).toMatch(/^verification +failed +1$/m);
    expect(out).toContain('verification failed (attempt 1):\n  boom\n  second line');
    expect(out).toMatch(/^runs +verification #1 {2}run 42 {2}failure$/m);
    expect(out).toMatch(/^replay +2 scripted model turns left$/m);
  });
});
