import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { buildCommandEnv } from '../../src/agent/tools/index.ts';
import { measureIsolation } from '../../src/bench/isolation-bench.ts';

describe('ipo bench isolation', () => {
  it('measures the demo isolated and monolithic with the same responses: isolation needs less context per phase', async () => {
    const report = await measureIsolation({
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      commandEnv: buildCommandEnv({ PATH: process.env.PATH }),
      clientFor: (baseURL) => new Anthropic({ apiKey: 'replay', baseURL, maxRetries: 0, logLevel: 'off' }),
    });
    for (const [phase, c] of Object.entries(report.phases)) {
      expect(c.isolated.calls, phase).toBe(c.monolithic.calls);
      expect(c.isolated.peakInput, phase).toBeGreaterThan(0);
      expect(c.ratio.peakInput, phase).toBeLessThan(1);
      expect(c.ratio.totalInput, phase).toBeLessThan(1);
    }
    // Later phases carry more history in the monolithic run, so their ratio falls phase after phase.
    expect(report.phases.verification.ratio.totalInput).toBeLessThan(
      report.phases.alignment.ratio.totalInput,
    );
    expect(report.total.monolithic.peakInput).toBe(report.phases.verification.monolithic.peakInput);
  }, 180_000);
});
