import { describe, expect, it } from 'vitest';
import { validateScript } from '../../src/replay/load-script.ts';
import { matchRequest } from '../../src/replay/match-request.ts';
import { type MessagesRequest, parseMessagesRequest } from '../../src/replay/messages-request.ts';
import type { TurnExpectation } from '../../src/replay/script-schema.ts';

const reply = { content: [{ type: 'text', text: 'ok' }] };

function request(body: Record<string, unknown>): MessagesRequest {
  const parsed = parseMessagesRequest({ model: 'm', max_tokens: 10, ...body });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.request;
}

/** A request after one tool call (`toolu_1`, read_file) whose result is `result`. */
function afterToolCall(result: Record<string, unknown>): MessagesRequest {
  return request({
    system: 'You run the alignment phase.',
    messages: [
      { role: 'user', content: 'Check task 2.4' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'read_file', input: {} }] },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'AC-1', ...result }],
      },
    ],
  });
}

function matchSecondTurn(expect: TurnExpectation, body: MessagesRequest) {
  const script = validateScript({
    version: 1,
    conversations: [{ name: 'alignment', turns: [{ response: reply }, { expect, response: reply }] }],
  });
  return matchRequest(script, new Set(), body, JSON.stringify(body));
}

describe('matchRequest', () => {
  it.each<[string, TurnExpectation, Record<string, unknown>]>([
    ['the tool name', { lastToolResultFor: 'read_file' }, {}],
    ['the tool_use id', { lastToolResultFor: 'toolu_1' }, {}],
    ['is_error', { lastToolResultIsError: true }, { is_error: true }],
    ['contains and notContains', { contains: ['task 2.4', 'AC-1'], notContains: ['AC-9'] }, {}],
  ])('accepts a request whose last tool result matches by %s', (_name, expectation, result) => {
    expect(matchSecondTurn(expectation, afterToolCall(result))).toMatchObject({ ok: true, turnIndex: 1 });
  });

  it.each<[TurnExpectation, Record<string, unknown>, string]>([
    [
      { lastToolResultFor: 'write_file' },
      {},
      'expected the last tool result to be for "write_file", got one for "toolu_1" (read_file)',
    ],
    [
      { lastToolResultIsError: true },
      {},
      'expected the last tool result ("toolu_1" (read_file)) to have is_error: true, got false',
    ],
    [{ contains: ['AC-2'] }, {}, 'expected the request to contain "AC-2"'],
    [{ notContains: ['task 2.4'] }, {}, 'expected the request not to contain "task 2.4"'],
  ])('refuses %j with a message naming conversation, turn and difference', (expectation, result, problem) => {
    expect(matchSecondTurn(expectation, afterToolCall(result))).toEqual({
      ok: false,
      message: `replay: conversation "alignment" turn 1: ${problem}`,
    });
  });

  it('refuses a tool-result expectation when the request holds no tool result', () => {
    const body = request({
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
        { role: 'user', content: 'c' },
      ],
    });
    expect(matchSecondTurn({ lastToolResultFor: 'read_file' }, body)).toEqual({
      ok: false,
      message: 'replay: conversation "alignment" turn 1: expected a tool result, but the request holds none',
    });
  });

  it('refuses a turn beyond the end of the conversation', () => {
    const script = validateScript({
      version: 1,
      conversations: [{ name: 'alignment', turns: [{ response: reply }] }],
    });
    const body = request({
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
        { role: 'user', content: 'c' },
      ],
    });

    expect(matchRequest(script, new Set(), body, JSON.stringify(body))).toEqual({
      ok: false,
      message:
        'replay: conversation "alignment" turn 1: the request carries 1 assistant message but the script has only 1 turn (0-0)',
    });
  });

  it('explains why no conversation matches', () => {
    const script = validateScript({
      version: 1,
      conversations: [
        { name: 'alignment', turns: [{ response: reply }] },
        { name: 'verification', when: { systemIncludes: 'verification' }, turns: [{ response: reply }] },
        { name: 'implementation', when: { toolNames: ['write_file', 'run'] }, turns: [{ response: reply }] },
      ],
    });
    const body = request({ system: 'You implement.', messages: [{ role: 'user', content: 'go' }] });

    expect(matchRequest(script, new Set([0]), body, JSON.stringify(body))).toEqual({
      ok: false,
      message:
        'replay: no conversation matches this request (system prompt "You implement.", tools: none): ' +
        '"alignment" is finished; "verification" needs the system prompt to include "verification"; ' +
        '"implementation" needs tools write_file, run',
    });
  });
});
