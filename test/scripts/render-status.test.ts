import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../scripts/sandbox/render-status.ts';
import type { SessionStatus } from '../../src/core/session/session-state.ts';
import { seededMarker } from '../app/seeded-marker.ts';

const HEAD = 'a'.repeat(40);

describe('sandbox `status`', () => {
  it.each<[string, SessionStatus, string]>([
    [
      'a failed phase',
      { kind: 'failed', phase: 'verification', attempt: 1, error: 'boom' },
      'next: `retry verification`, `rollback alignment`, `rollback implementation`, `rollback verification` or `cancel session`',
    ],
    [
      'a blocked phase',
      { kind: 'blocked', phase: 'implementation', attempt: 2, reason: 'needs a decision' },
      'next: `retry implementation`, `rollback alignment`, `rollback implementation` or `cancel session`',
    ],
  ])('offers for %s every command the state machine accepts', (_, status, next) => {
    const marker = seededMarker('1.3', status, { issueNumber: 1, head: HEAD, startedBy: 'ada' });

    expect(renderStatus(marker, new Map(), 0).split('\n')).toContain(`          ${next}`);
  });
});
