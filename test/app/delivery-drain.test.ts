import { describe, expect, it } from 'vitest';
import { DeliveryDrain } from '../../src/app/delivery-drain.ts';

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('DeliveryDrain', () => {
  it('waits for every handler in flight, including one that starts while it drains', async () => {
    const drain = new DeliveryDrain();
    const finished: string[] = [];
    void drain.track({ id: 'a', event: 'issue_comment' }, async () => {
      await later(30);
      finished.push('a');
    });
    const outcome = drain.drain(5_000);
    expect(drain.draining).toBe(true);
    void drain.track({ id: 'b', event: 'workflow_run' }, async () => {
      await later(60);
      finished.push('b');
    });

    expect(await outcome).toEqual({ unfinished: [] });
    expect(finished).toEqual(['a', 'b']);
  });

  it('names each delivery still running at the deadline once, however many handlers it has', async () => {
    const since = new Date('2026-01-01T00:00:00Z');
    const drain = new DeliveryDrain(() => since);
    const forever = () => new Promise<void>(() => undefined);
    void drain.track({ id: 'slow', event: 'issue_comment' }, forever);
    void drain.track({ id: 'slow', event: 'issue_comment' }, forever);
    void drain.track({ id: 'quick', event: 'issue_comment' }, async () => undefined);

    expect(await drain.drain(50)).toEqual({ unfinished: [{ id: 'slow', event: 'issue_comment', since }] });
  });

  it('counts a failed handler as finished and lets its error through to Probot', async () => {
    const drain = new DeliveryDrain();
    const handled = drain.track({ id: 'x', event: 'issue_comment' }, async () => {
      throw new Error('GitHub answered 502');
    });

    await expect(handled).rejects.toThrow('GitHub answered 502');
    expect(await drain.drain(1_000)).toEqual({ unfinished: [] });
  });
});
