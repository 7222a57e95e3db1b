import { describe, expect, it } from 'vitest';
import { stateExpiry, stateExpiryText } from '../../../src/core/dispatch/state-expiry.ts';

const artifact = (createdAt: string, expiresAt: string, expired = false) => ({
  name: 'ipo-phase-1.3-20260101-alignment-1',
  createdAt,
  expiresAt,
  expired,
});

describe('stateExpiry: how near a state artifact is to its expiry', () => {
  it.each([
    [
      '90-day retention, 8 days left',
      '2026-01-01T00:00:00Z',
      '2026-04-01T00:00:00Z',
      '2026-03-24T00:00:00Z',
      'kept',
    ],
    [
      '90-day retention, 6 days left',
      '2026-01-01T00:00:00Z',
      '2026-04-01T00:00:00Z',
      '2026-03-26T00:00:00Z',
      'nearing',
    ],
    [
      '5-day retention, 2 days left',
      '2026-01-01T00:00:00Z',
      '2026-01-06T00:00:00Z',
      '2026-01-04T00:00:00Z',
      'kept',
    ],
    [
      '5-day retention, 20 hours left',
      '2026-01-01T00:00:00Z',
      '2026-01-06T00:00:00Z',
      '2026-01-05T04:00:00Z',
      'nearing',
    ],
    ['past expires_at', '2026-01-01T00:00:00Z', '2026-01-06T00:00:00Z', '2026-01-06T00:00:01Z', 'expired'],
  ])('%s: %s → %s at %s is %s', (_case, created, expires, now, kind) => {
    expect(stateExpiry(artifact(created, expires), new Date(now)).kind).toBe(kind);
  });

  it('takes GitHub’s expired flag as final', () => {
    const a = artifact('2026-01-01T00:00:00Z', '2026-04-01T00:00:00Z', true);
    expect(stateExpiry(a, new Date('2026-01-02T00:00:00Z')).kind).toBe('expired');
  });

  it('says when, what is lost and what to do', () => {
    const a = artifact('2026-01-01T00:00:00Z', '2026-04-01T00:00:00Z');
    const nearing = stateExpiryText(
      a,
      stateExpiry(a, new Date('2026-03-29T00:00:00Z')),
      'phase-1.3-20260101',
    );
    expect(nearing).toContain('expires on 2026-04-01, in 3 days');
    expect(nearing).toContain('Continue it before then');
    const expired = stateExpiryText(
      a,
      stateExpiry(a, new Date('2026-04-02T00:00:00Z')),
      'phase-1.3-20260101',
    );
    expect(expired).toContain('expired on 2026-04-01');
    expect(expired).toContain('`cancel session`');
    expect(stateExpiryText(a, stateExpiry(a, new Date('2026-01-02T00:00:00Z')), 's')).toBeNull();
  });
});
