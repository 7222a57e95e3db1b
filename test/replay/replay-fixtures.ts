import Anthropic from '@anthropic-ai/sdk';
import { betaZodTool } from '@anthropic-ai/sdk/helpers/beta/zod';
import { afterEach } from 'vitest';
import { z } from 'zod';
import { validateScript } from '../../src/replay/load-script.ts';
import { type ReplayServer, startReplayServer } from '../../src/replay/replay-server.ts';

export const MODEL = 'claude-sonnet-5-5';

/** Starts a replay server for `script` (validated like a loaded file) and closes it after the test. */
export function useReplayServer(): (script: unknown) => Promise<ReplayServer> {
  const servers: ReplayServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return async (script) => {
    const server = await startReplayServer({ script: validateScript(script) });
    servers.push(server);
    return server;
  };
}

/** The real SDK client pointed at the replay server. */
export function clientFor(server: ReplayServer, maxRetries = 0): Anthropic {
  return new Anthropic({ apiKey: 'sk-ant-test-key', baseURL: server.url, maxRetries, logLevel: 'off' });
}

/** A one-turn script whose single response is `text`. */
export function oneTurnScript(text: string, turn: Record<string, unknown> = {}): unknown {
  return {
    version: 1,
    conversations: [{ name: 'only', turns: [{ ...turn, response: { content: [{ type: 'text', text }] } }] }],
  };
}

/** A minimal non-streaming request. */
export function ask(text: string, system?: string): Anthropic.MessageCreateParamsNonStreaming {
  return {
    model: MODEL,
    max_tokens: 1024,
    messages: [{ role: 'user', content: text }],
    ...(system === undefined ? {} : { system }),
  };
}

/** A runnable tool for tool-runner tests: answers `found <q>`. */
export const lookupTool = betaZodTool({
  name: 'lookup',
  description: 'Look something up',
  inputSchema: z.object({ q: z.string() }),
  run: ({ q }) => `found ${q}`,
});
