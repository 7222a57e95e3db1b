import type { BetaMessageParam } from '@anthropic-ai/sdk/resources/beta/messages/messages';
import { describe, expect, it } from 'vitest';
import { withMessageBreakpoint } from '../../src/agent/cache-breakpoints.ts';
import {
  applyClearings,
  type ClearPolicy,
  chooseClearings,
  clearedStub,
} from '../../src/agent/context/clear-policy.ts';

/** 1,000 estimated tokens (4 characters a token). */
const K = 'x'.repeat(4000);
const POLICY: ClearPolicy = { keepRecent: 2, triggerTokens: 5000, targetTokens: 2000 };

interface Call {
  id: string;
  name?: string;
  input?: Record<string, unknown>;
  size?: number;
  isError?: boolean;
}

/** One assistant turn calling `calls`, then their results; thinking first, as the API returns it. */
function conversation(...turns: Call[][]): BetaMessageParam[] {
  const messages: BetaMessageParam[] = [{ role: 'user', content: 'Do the task.' }];
  for (const calls of turns) {
    messages.push({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'plan', signature: 'sig' },
        ...calls.map((c) => ({
          type: 'tool_use' as const,
          id: c.id,
          name: c.name ?? 'read_file',
          input: c.input ?? { path: `src/${c.id}.ts` },
        })),
      ],
    });
    messages.push({
      role: 'user',
      content: calls.map((c) => ({
        type: 'tool_result' as const,
        tool_use_id: c.id,
        content: K.repeat(c.size ?? 1),
        ...(c.isError ? { is_error: true } : {}),
      })),
    });
  }
  return messages;
}

const ids = (messages: BetaMessageParam[], policy = POLICY, cleared = new Set<string>()) =>
  chooseClearings(messages, policy, { cleared, protectedTools: new Set(['submit_result']) }).map(
    (c) => c.toolUseId,
  );
const oneEach = (...names: string[]) => names.map((id) => [{ id }]);

describe('chooseClearings: what is kept', () => {
  it.each([
    ['under the trigger: nothing', oneEach('a', 'b', 'c', 'd', 'e'), POLICY, []],
    [
      'at the trigger exactly: nothing',
      oneEach('a', 'b', 'c', 'd', 'e'),
      { ...POLICY, triggerTokens: 5000 },
      [],
    ],
    // 6k over a 5k trigger: clear oldest until ≤ 2k; the newest 2 stay whatever the target says.
    [
      'over the trigger: oldest first, down to the target',
      oneEach('a', 'b', 'c', 'd', 'e', 'f'),
      POLICY,
      ['a', 'b', 'c', 'd'],
    ],
    [
      'keepRecent 0 still never clears the newest message',
      oneEach('a', 'b', 'c', 'd', 'e', 'f'),
      { ...POLICY, keepRecent: 0, targetTokens: 0 },
      ['a', 'b', 'c', 'd', 'e'],
    ],
    [
      'keepRecent larger than the history: nothing',
      oneEach('a', 'b', 'c', 'd', 'e', 'f'),
      { ...POLICY, keepRecent: 10 },
      [],
    ],
  ] as const)('%s', (_title, turns, policy, expected) => {
    expect(ids(conversation(...turns), policy)).toEqual(expected);
  });

  it.each([
    ['marked keep: true', { id: 'a', input: { path: 'src/a.ts', keep: true } }],
    ['an error result', { id: 'a', isError: true }],
    ['the submission tool (why a submission was refused)', { id: 'a', name: 'submit_result', input: {} }],
    ['a result no larger than its stub', { id: 'a', size: 0 }],
  ])('never clears %s', (_title, call) => {
    const messages = conversation([call], ...oneEach('b', 'c', 'd', 'e', 'f', 'g'));
    const chosen = ids(messages, { ...POLICY, targetTokens: 1000 });
    expect(chosen).not.toContain('a');
    expect(chosen).toEqual(['b', 'c', 'd', 'e']);
  });

  it('waits while what could be cleared would free less than the trigger–target gap', () => {
    // 7k in all, over the 5k trigger, but keepRecent 5 leaves only 'a' (1k) clearable: a 3k gap is not met.
    const messages = conversation(...oneEach('a', 'b', 'c', 'd', 'e', 'f', 'g'));
    expect(ids(messages, { ...POLICY, keepRecent: 6 })).toEqual([]);
    expect(ids(messages, { ...POLICY, keepRecent: 4 })).toEqual(['a', 'b', 'c']);
  });

  it('counts a turn of several results towards keepRecent as a whole and keeps the newest message', () => {
    const messages = conversation(...oneEach('a', 'b', 'c'), [{ id: 'd' }, { id: 'e' }, { id: 'f' }]);
    expect(ids(messages, { keepRecent: 1, triggerTokens: 3000, targetTokens: 0 })).toEqual(['a', 'b', 'c']);
  });
});

describe('chooseClearings: batches', () => {
  /** Plays a run turn by turn and records on which turns a batch was cleared. */
  function batches(turns: number, policy: ClearPolicy) {
    const cleared = new Set<string>();
    let messages: BetaMessageParam[] = [];
    const at: { turn: number; ids: string[] }[] = [];
    for (let turn = 1; turn <= turns; turn++) {
      messages = conversation(...Array.from({ length: turn }, (_, i) => [{ id: `t${i + 1}` }]));
      messages = applyClearings(messages, [...cleared].map(stubOf));
      const chosen = chooseClearings(messages, policy, { cleared, protectedTools: new Set() });
      if (chosen.length > 0) at.push({ turn, ids: chosen.map((c) => c.toolUseId) });
      for (const c of chosen) cleared.add(c.toolUseId);
    }
    return at;
  }
  const stubOf = (id: string) => ({
    toolUseId: id,
    tool: 'read_file',
    subject: `src/${id}.ts`,
    tokens: 1000,
  });

  it.each([
    // 1k a turn: the 6th turn passes 5k, clears down to 2k (4 results); then 3 more turns refill to 5k+1.
    [
      POLICY,
      14,
      [
        { turn: 6, ids: ['t1', 't2', 't3', 't4'] },
        { turn: 10, ids: ['t5', 't6', 't7', 't8'] },
        { turn: 14, ids: ['t9', 't10', 't11', 't12'] },
      ],
    ],
    // A target just under the trigger clears a little every other turn: what the default's gap exists to avoid.
    [
      { keepRecent: 2, triggerTokens: 5000, targetTokens: 4999 },
      10,
      [
        { turn: 6, ids: ['t1', 't2'] },
        { turn: 8, ids: ['t3', 't4'] },
        { turn: 10, ids: ['t5', 't6'] },
      ],
    ],
  ] as const)('%j over %i turns clears in these batches', (policy, turns, expected) => {
    expect(batches(turns, policy)).toEqual(expected);
  });
});

describe('applyClearings', () => {
  it('replaces only the content of the chosen results, keeps every tool_use paired and thinking untouched', () => {
    const messages = conversation(
      [{ id: 'a', input: { path: 'src/x.ts', startLine: 10, endLine: 40 } }],
      [{ id: 'b', name: 'run_command', input: { command: 'npm test' }, size: 3 }],
      ...oneEach('c', 'd', 'e', 'f'),
    );
    const chosen = chooseClearings(
      messages,
      { ...POLICY, targetTokens: 0 },
      {
        cleared: new Set(),
        protectedTools: new Set(),
      },
    );
    const after = applyClearings(messages, chosen);
    expect(after).toHaveLength(messages.length);
    expect(after[1]).toBe(messages[1]); // assistant turns, thinking included, are the same objects
    expect(after[2]).toEqual({
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: 'a',
          content:
            '[cleared: read_file src/x.ts lines 10-40, 1.0k tokens — call read_file again if you need it]',
        },
      ],
    });
    expect(JSON.stringify(after[4])).toContain(
      '[cleared: run_command npm test, 3.0k tokens — call run_command again',
    );
    const uses = after
      .flatMap((m) => (Array.isArray(m.content) ? m.content : []))
      .filter((b) => b.type === 'tool_use');
    const results = after
      .flatMap((m) => (Array.isArray(m.content) ? m.content : []))
      .filter((b) => b.type === 'tool_result');
    expect(results.map((r) => r.tool_use_id)).toEqual(uses.map((u) => u.id));
    expect(messages[2]).not.toEqual(after[2]); // the input was not mutated
  });

  it('keeps the request within the API limit of 4 cache_control blocks after a clearing', () => {
    const messages = applyClearings(conversation(...oneEach('a', 'b', 'c', 'd', 'e', 'f')), [
      { toolUseId: 'a', tool: 'read_file', subject: 'src/a.ts', tokens: 1000 },
    ]);
    const sent = withMessageBreakpoint(messages);
    // Tools and system carry one each (cache-breakpoints.ts); the messages may add only what is left.
    const inMessages = JSON.stringify(sent).split('"cache_control"').length - 1;
    expect(inMessages + 2).toBeLessThanOrEqual(4);
    expect(inMessages).toBe(1);
  });

  it('names the tool alone when its input has no subject field', () => {
    expect(clearedStub({ toolUseId: 'x', tool: 'list_files', subject: '', tokens: 250 })).toBe(
      '[cleared: list_files, 250 tokens — call list_files again if you need it]',
    );
  });
});
