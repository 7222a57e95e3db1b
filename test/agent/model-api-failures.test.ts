import { createServer } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runAgent } from '../../src/agent/run-agent.ts';
import type { ReplayServer } from '../../src/replay/replay-server.ts';
import { clientFor, useReplayServer } from '../replay/replay-fixtures.ts';

const schema = z.strictObject({ answer: z.string() });

/** One turn answering every request with `faults` first (the SDK retries what it retries). */
const script = (faults: unknown[]) => ({
  version: 1,
  conversations: [
    {
      name: 'only',
      turns: [
        {
          faults,
          response: {
            content: [{ type: 'tool_use', id: 's', name: 'submit_result', input: { answer: 'ok' } }],
          },
        },
      ],
    },
  ],
});

function run(client: Anthropic, modelField?: string) {
  return runAgent({
    client,
    model: 'claude-nonexistent-1',
    ...(modelField ? { modelField } : {}),
    system: 'You are a test agent.',
    tools: [],
    result: { schema, description: 'Submit.' },
    initialMessage: 'Answer.',
    budgets: { maxTurns: 3, maxInputTokens: 100_000, maxOutputTokens: 10_000, wallTimeMs: 60_000 },
  });
}

async function failureOf(client: Anthropic, modelField?: string) {
  const outcome = await run(client, modelField);
  if (outcome.ok) throw new Error('expected the run to fail');
  return outcome.failure;
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

describe('a failed model call says what to do', () => {
  const replay = useReplayServer();

  it.each([
    {
      status: 401,
      message: 'invalid x-api-key',
      says: [
        'model API error 401: invalid x-api-key.',
        'ANTHROPIC_API_KEY in the environment of the `ipo` process',
        '`anthropic-api-key` input',
      ],
    },
    {
      status: 403,
      message: 'Your API key does not have permission to use the specified resource.',
      says: [
        'model API error 403: Your API key does not have permission',
        'no permission for this request (model claude-nonexistent-1)',
      ],
    },
    {
      status: 404,
      message: 'model: claude-nonexistent-1',
      says: [
        'model API error 404: model: claude-nonexistent-1.',
        'The model id "claude-nonexistent-1" comes from `phases.alignment.model` in .github/ipo.yml',
      ],
    },
    {
      status: 400,
      message: 'max_tokens: Field required',
      says: ['model API error 400: max_tokens: Field required.', 'its message above names the field'],
    },
    {
      status: 413,
      message: 'Request exceeds the maximum allowed number of bytes.',
      says: ['model API error 413: Request exceeds the maximum allowed number of bytes.', '32 MB'],
    },
  ])('a $status is not retried, names no retries and says what to do', async ({ status, message, says }) => {
    const server = await replay(script([{ status, message }]));
    const failure = await failureOf(clientFor(server, 2), 'phases.alignment.model');
    expect(failure).toMatchObject({ kind: 'api', status });
    for (const text of says) expect(failure.message).toContain(text);
    expect(failure.message).not.toMatch(/attempts|retries/);
    expect(server.requests).toHaveLength(1);
  });

  it('a 404 names `defaultModel` when the phase sets no model', async () => {
    const server = await replay(script([{ status: 404, message: 'model: claude-nonexistent-1' }]));
    const failure = await failureOf(clientFor(server, 0));
    expect(failure.message).toContain('comes from `defaultModel` in .github/ipo.yml');
  });

  it('a 429 that outlasts the retries gives the attempts and the wait the API asked for', async () => {
    const limited = { status: 429, retryAfterSeconds: 0.01 };
    const server = await replay(script([limited, limited, limited]));
    const failure = await failureOf(clientFor(server, 2));
    expect(failure).toMatchObject({ kind: 'api', status: 429 });
    expect(failure.message).toBe(
      'model API error 429 after 3 attempts: Number of request tokens has exceeded your rate limit. ' +
        "Rate limit reached; the API asked to wait 0.01s: try again later, or lower the phase's budgets.",
    );
  });

  it.each([500, 503, 529])(
    'a %i that outlasts the retries says how many attempts and to try later',
    async (status) => {
      const fault = { status, retryAfterSeconds: 0.01, message: 'down (replayed)' };
      const server = await replay(script([fault, fault]));
      const failure = await failureOf(clientFor(server, 1));
      expect(failure.message).toBe(
        `model API error ${status} after 2 attempts: down (replayed). The API is failing or overloaded: try again later.`,
      );
    },
  );

  it('a refused connection fails at once, names the URL and says it was no answer from the API', async () => {
    const port = await closedPort();
    const baseURL = `http://127.0.0.1:${port}`;
    // The CLI's and the Action's client: 4 retries, whose backoff alone is 0.5 + 1 + 2 + 4 s.
    const client = new Anthropic({ apiKey: 'sk-ant-test-key', baseURL, maxRetries: 4, logLevel: 'off' });
    const started = performance.now();
    const failure = await failureOf(client);
    const seconds = (performance.now() - started) / 1000;
    expect(seconds).toBeLessThan(1.5);
    expect(failure).toMatchObject({ kind: 'api', status: null });
    expect(failure.message).toContain(`could not reach the model API at ${baseURL}`);
    expect(failure.message).toContain('ECONNREFUSED');
    expect(failure.message).toContain('This is not an answer from the API: check ANTHROPIC_BASE_URL');
    expect(failure.message).not.toContain('attempts');
  });

  it('a connection reset is still retried by the SDK, and the failure counts the attempts', async () => {
    const server: ReplayServer = await replay(script([{ reset: true }, { reset: true }]));
    const failure = await failureOf(clientFor(server, 1));
    expect(failure.message).toContain(`could not reach the model API at ${server.url}`);
    expect(failure.message).toContain('(2 attempts)');
  });
});
