import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelClient } from '../../src/agent/model-client.ts';
import { type ReplayServer, startReplayServer } from '../../src/replay/replay-server.ts';
import { alignmentOnlyScript } from '../cli/cli-fixtures.ts';

// The key seam: a key fetched by a function (an OIDC exchange, later) reaches the API as a fixed key does.
let replay: ReplayServer;
beforeAll(async () => {
  replay = await startReplayServer({ script: await alignmentOnlyScript() });
});
afterAll(() => replay?.close());

const request = { model: 'claude-sonnet-5-5', messages: [{ role: 'user' as const, content: 'hello there' }] };

describe('createModelClient', () => {
  it.each([
    ['a fixed key', 'sk-ant-fixed'],
    ['a key fetched by a function', async () => 'sk-ant-fetched'],
  ])('sends %s as x-api-key', async (_name, key) => {
    const client = createModelClient({ key, baseURL: replay.url });
    const counted = await client.messages.countTokens(request);
    expect(counted.input_tokens).toBeGreaterThan(0);
  });

  it('without a key, a call is refused before anything is sent (the commit phase never makes one)', async () => {
    const client = createModelClient({ key: null, baseURL: replay.url });
    await expect(client.messages.countTokens(request)).rejects.toThrow(/authentication|apiKey|api key/i);
  });
});
