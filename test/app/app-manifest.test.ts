import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
// Not in Probot's package exports: the class its set-up page uses to build the manifest from app.yml.
import { ManifestCreation } from '../../node_modules/probot/lib/manifest-creation.js';

const APP_YML = new URL('../../app.yml', import.meta.url);

describe('app.yml through Probot’s own manifest creation (the set-up page)', () => {
  const build = (proxy: string | undefined) => {
    const saved = process.env.WEBHOOK_PROXY_URL;
    if (proxy === undefined) delete process.env.WEBHOOK_PROXY_URL;
    else process.env.WEBHOOK_PROXY_URL = proxy;
    try {
      return JSON.parse(
        new ManifestCreation().getManifest({
          pkg: { name: 'isolated-phase-orchestrator' },
          baseUrl: 'http://localhost:3000',
          // Probot reads app.yml from the working directory; the test hands it ours wherever it runs.
          readFileSync: () => readFileSync(APP_YML, 'utf8'),
        } as never),
      ) as { hook_attributes?: { url?: string }; default_events: string[]; public: boolean };
    } finally {
      if (saved === undefined) delete process.env.WEBHOOK_PROXY_URL;
      else process.env.WEBHOOK_PROXY_URL = saved;
    }
  };

  it.each([
    ['a smee.io channel', 'https://smee.io/abc123', 'https://smee.io/abc123'],
    ['no proxy', undefined, 'http://localhost:3000/'],
  ])('registers the app with the webhook URL of the set-up (%s), not a placeholder', (_case, proxy, url) => {
    expect(build(proxy).hook_attributes?.url).toBe(url);
  });

  it('keeps the events and visibility app.yml asks for', () => {
    const manifest = build(undefined);
    expect(manifest.default_events).toEqual(['issue_comment', 'workflow_run']);
    expect(manifest.public).toBe(false);
    expect(parse(readFileSync(APP_YML, 'utf8')).hook_attributes).toBeUndefined();
  });
});
