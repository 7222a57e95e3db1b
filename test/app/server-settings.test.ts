import { describe, expect, it } from 'vitest';
import { readServerSettings } from '../../src/app/server-settings.ts';

const BASE = { APP_ID: '1', WEBHOOK_SECRET: 'a-long-random-secret-0123456789' };

describe('readServerSettings: no webhook secret, no start (outside development)', () => {
  it.each([
    ['production', { NODE_ENV: 'production', WEBHOOK_SECRET: undefined }, 'WEBHOOK_SECRET is not set'],
    ['NODE_ENV unset', { NODE_ENV: undefined, WEBHOOK_SECRET: undefined }, 'WEBHOOK_SECRET is not set'],
    ['staging', { NODE_ENV: 'staging', WEBHOOK_SECRET: '' }, 'WEBHOOK_SECRET is not set'],
    [
      'production',
      { NODE_ENV: 'production', WEBHOOK_SECRET: 'development' },
      'Probot\'s public default "development"',
    ],
    ['production', { NODE_ENV: 'production', APP_ID: undefined }, 'APP_ID is not set'],
    ['production', { NODE_ENV: 'production', IPO_DRAIN_MS: 'soon' }, 'IPO_DRAIN_MS is "soon"'],
    ['production', { NODE_ENV: 'production', PORT: '70000' }, 'PORT is "70000"'],
  ])('refuses in %s with %o, saying %s', (_, change, problem) => {
    const result = readServerSettings({ ...BASE, ...change });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.join('\n')).toContain(problem);
  });

  it.each([
    ['development', undefined],
    ['test', 'development'],
  ])('starts in %s mode with secret %s, warning that deliveries can be forged', (mode, secret) => {
    const result = readServerSettings({ ...BASE, NODE_ENV: mode, WEBHOOK_SECRET: secret });
    expect(result).toMatchObject({ ok: true, settings: { development: true } });
    expect(result.ok && result.warnings.join('\n')).toContain(
      'anyone who can reach this server can forge deliveries',
    );
  });

  it('takes a real secret in production, with Probot’s defaults for port and host and a 25 s drain', () => {
    expect(readServerSettings({ ...BASE, NODE_ENV: 'production' })).toEqual({
      ok: true,
      settings: { port: 3000, host: 'localhost', drainMs: 25_000, development: false },
      warnings: [],
    });
  });
});
