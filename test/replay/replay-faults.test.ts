import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { ask, clientFor, oneTurnScript, useReplayServer } from './replay-fixtures.ts';

const start = useReplayServer();

// retry-after-ms of 10 ms keeps retries fast; the SDK ignores 0 and would fall back to its 0.5 s+ backoff.
const FAST = 0.01;

describe('scripted faults through the SDK retry logic', () => {
  it('retries two 529 overloaded answers transparently and then gets the response', async () => {
    const server = await start(
      oneTurnScript('made it', {
        faults: [
          { status: 529, retryAfterSeconds: FAST },
          { status: 529, retryAfterSeconds: FAST },
        ],
      }),
    );

    const message = await clientFor(server, 2).messages.create(ask('hello'));

    expect(message.content).toEqual([{ type: 'text', text: 'made it' }]);
    expect(server.requests.map((request) => request.status)).toEqual([529, 529, 200]);
    expect(server.requests.map((request) => request.match?.turn)).toEqual([0, 0, 0]);
  });

  it('throws an APIError with status 529 and the scripted message once retries run out', async () => {
    const overloaded = { status: 529, retryAfterSeconds: FAST, message: 'Overloaded, try later' };
    const server = await start(oneTurnScript('never', { faults: [overloaded, overloaded, overloaded] }));

    const error = await clientFor(server, 2)
      .messages.create(ask('hello'))
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error).toMatchObject({
      status: 529,
      type: 'overloaded_error',
      apiMessage: 'Overloaded, try later',
    });
    expect((error as Error).message).toContain('Overloaded, try later');
    expect(server.requests).toHaveLength(3);
    expect(server.remaining()).toEqual(['conversation "only" turn 0']);
  });

  it('makes the SDK wait the 429 retry-after before retrying', async () => {
    const server = await start(
      oneTurnScript('after the wait', { faults: [{ status: 429, retryAfterSeconds: 1 }] }),
    );
    const started = Date.now();

    const message = await clientFor(server, 1).messages.create(ask('hello'));

    // The SDK's own first backoff is at most 500 ms, so a wait of a full second can only come from the header.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(message.content).toEqual([{ type: 'text', text: 'after the wait' }]);
    expect(server.requests.map((request) => [request.status, request.error])).toEqual([
      [429, 'Number of request tokens has exceeded your rate limit'],
      [200, undefined],
    ]);
  });

  it('sends a 429 as a rate_limit_error body with retry-after headers and a request-id', async () => {
    const server = await start(oneTurnScript('x', { faults: [{ status: 429, retryAfterSeconds: 2 }] }));

    const response = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify(ask('hello')),
    });

    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(response.headers.get('retry-after-ms')).toBe('2000');
    const requestId = response.headers.get('request-id');
    expect(await response.json()).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your rate limit' },
      request_id: requestId,
    });
  });

  it.each([
    [500, 'api_error', Anthropic.InternalServerError],
    [503, 'api_error', Anthropic.ServiceUnavailableError],
    [529, 'overloaded_error', Anthropic.OverloadedError],
  ] as const)(
    'answers a scripted %i as %s when the client does not retry',
    async (status, type, errorClass) => {
      const server = await start(oneTurnScript('x', { faults: [{ status, message: `scripted ${status}` }] }));

      const error = await clientFor(server, 0)
        .messages.create(ask('hello'))
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(errorClass);
      expect(error).toMatchObject({ status, type, apiMessage: `scripted ${status}` });
    },
  );

  it('serves the response to the retry after a 500', async () => {
    const server = await start(
      oneTurnScript('recovered', { faults: [{ status: 500, retryAfterSeconds: FAST }] }),
    );

    const message = await clientFor(server, 1).messages.create(ask('hello'));

    expect(message.content).toEqual([{ type: 'text', text: 'recovered' }]);
    expect(server.requests.map((request) => request.status)).toEqual([500, 200]);
  });

  it('resets the connection, which the SDK retries as a connection error', async () => {
    const server = await start(oneTurnScript('reconnected', { faults: [{ reset: true }] }));

    const message = await clientFor(server, 1).messages.create(ask('hello'));

    expect(message.content).toEqual([{ type: 'text', text: 'reconnected' }]);
    expect(server.requests.map((request) => [request.status, request.fault])).toEqual([
      [null, { reset: true }],
      [200, undefined],
    ]);
  });

  it('throws APIConnectionError when every attempt is reset', async () => {
    const server = await start(oneTurnScript('never', { faults: [{ reset: true }] }));

    const error = await clientFor(server, 0)
      .messages.create(ask('hello'))
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(Anthropic.APIConnectionError);
  });

  it('delays the answer and then applies the next fault in the same request', async () => {
    const server = await start(
      oneTurnScript('late', { faults: [{ delayMs: 300 }, { status: 529, retryAfterSeconds: FAST }] }),
    );
    const started = Date.now();

    const message = await clientFor(server, 1).messages.create(ask('hello'));

    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(message.content).toEqual([{ type: 'text', text: 'late' }]);
    expect(server.requests.map((request) => request.status)).toEqual([529, 200]);
  });
});
