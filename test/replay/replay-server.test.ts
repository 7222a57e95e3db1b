import { betaZodTool } from '@anthropic-ai/sdk/helpers/beta/zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startReplayServer } from '../../src/replay/replay-server.ts';
import type { ReplayScript } from '../../src/replay/script-schema.ts';
import { ask, clientFor, MODEL, oneTurnScript, useReplayServer } from './replay-fixtures.ts';

const start = useReplayServer();

const readFile = betaZodTool({
  name: 'read_file',
  description: 'Read a file of the repository',
  inputSchema: z.object({ path: z.string() }),
  run: ({ path }) => {
    if (path === 'SPEC.md') return '# Spec\nAC-1: the status command prints the phase.';
    throw new Error(`no such file: ${path}`);
  },
});

const alignmentScript = {
  version: 1,
  conversations: [
    {
      name: 'alignment',
      when: { systemIncludes: 'alignment phase', toolNames: ['read_file'] },
      turns: [
        {
          expect: { contains: ['task 2.4'] },
          response: {
            content: [
              { type: 'text', text: 'Reading the spec.' },
              { type: 'tool_use', id: 'toolu_01', name: 'read_file', input: { path: 'SPEC.md' } },
            ],
          },
        },
        {
          expect: { lastToolResultFor: 'read_file', lastToolResultIsError: false, contains: ['AC-1'] },
          response: {
            content: [{ type: 'tool_use', id: 'toolu_02', name: 'read_file', input: { path: 'missing.md' } }],
          },
        },
        {
          expect: { lastToolResultFor: 'toolu_02', lastToolResultIsError: true },
          response: { content: [{ type: 'text', text: 'Aligned with AC-1.' }] },
        },
      ],
    },
  ],
};

describe('replay server through the SDK tool runner', () => {
  it('plays a multi-turn conversation of tool_use and tool_result to its end', async () => {
    const server = await start(alignmentScript);
    const runner = clientFor(server).beta.messages.toolRunner({
      model: MODEL,
      max_tokens: 1024,
      system: 'You run the alignment phase.',
      messages: [{ role: 'user', content: 'Check task 2.4 against the spec.' }],
      tools: [readFile],
    });

    const final = await runner.runUntilDone();

    expect(final.content).toEqual([{ type: 'text', text: 'Aligned with AC-1.' }]);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.model).toBe(MODEL);
    expect(server.requests.map((request) => [request.path, request.status, request.match?.turn])).toEqual([
      ['/v1/messages', 200, 0],
      ['/v1/messages', 200, 1],
      ['/v1/messages', 200, 2],
    ]);
    expect(server.remaining()).toEqual([]);
  });

  it('records headers with the API key redacted', async () => {
    const server = await start(oneTurnScript('hi'));
    await clientFor(server).messages.create(ask('hello'));

    const headers = server.requests[0]?.headers ?? {};
    expect(headers.authorization ?? headers['x-api-key']).toBe('[redacted]');
    expect(JSON.stringify(headers)).not.toContain('sk-ant-test-key');
    expect(headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('answers with the Messages API response shape and a request-id header', async () => {
    const server = await start(oneTurnScript('hi'));
    const response = await clientFor(server).messages.create(ask('hello')).withResponse();

    expect(response.request_id).toMatch(/^req_/);
    expect(response.data).toMatchObject({
      id: expect.stringMatching(/^msg_/),
      type: 'message',
      role: 'assistant',
      model: MODEL,
      content: [{ type: 'text', text: 'hi' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: {
        input_tokens: expect.any(Number),
        output_tokens: expect.any(Number),
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    });
  });

  it('lists the turns not served yet', async () => {
    const server = await start(alignmentScript);
    expect(server.remaining()).toEqual([
      'conversation "alignment" turn 0',
      'conversation "alignment" turn 1',
      'conversation "alignment" turn 2',
    ]);
  });

  it('refuses a request without an API key with a 401 authentication_error', async () => {
    const server = await start(oneTurnScript('hi'));
    const response = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify(ask('hello')),
    });

    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
  });

  it('answers an unknown route with 404 not_found_error', async () => {
    const server = await start(oneTurnScript('hi'));
    const response = await fetch(`${server.url}/v1/models`, { headers: { 'x-api-key': 'k' } });

    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });

  it('refuses to start on a script that fails the schema', async () => {
    const script = { version: 1, conversations: [{ name: 'c', turns: [] }] } as unknown as ReplayScript;
    await expect(startReplayServer({ script })).rejects.toThrow(
      'replay script passed to startReplayServer is invalid',
    );
  });

  it('listens on the loopback interface only', async () => {
    const server = await start(oneTurnScript('hi'));
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
