import { describe, expect, it } from 'vitest';
import { measureWebhookDispatch } from '../../bench/webhook-dispatch.ts';

// The benchmark's figures are printed by `npm run bench`, never asserted; this only keeps its machinery working:
// the local GitHub on its worker thread, three apps behind Probot's middleware, a dispatch timed per delivery.
describe('webhook → dispatch benchmark', () => {
  it('times one dispatch per delivery for ipo (start and proceed), the bare app and the same-calls apps, with their rounds', async () => {
    const figures = await measureWebhookDispatch(3);

    const apps = [figures.ipo, figures.ipoProceed, figures.bare, figures.sameCalls, figures.sameCallsProceed];
    for (const app of apps) {
      expect(app.latencies).toHaveLength(3);
      for (const ms of app.latencies) expect(ms).toBeGreaterThan(0);
      expect(app.throughput).toBeGreaterThan(0);
    }
    // The same-calls apps mirror ipo's rounds; the bare app makes its one call.
    expect(figures.sameCalls.rounds).toBe(figures.ipo.rounds);
    expect(figures.sameCallsProceed.rounds).toBe(figures.ipoProceed.rounds);
    expect(figures.bare.rounds).toBe(0);
    expect(figures.ipo.rounds).toBeGreaterThan(0);
  }, 60_000);
});
