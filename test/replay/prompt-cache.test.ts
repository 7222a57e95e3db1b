import { describe, expect, it } from 'vitest';
import { type InputUsage, PromptCache } from '../../src/replay/prompt-cache.ts';
import type { PromptSegment } from '../../src/replay/prompt-segments.ts';

const MINUTE = 60_000;

/** A segment of `tokens` tokens; `bp` marks a cache breakpoint with that TTL. */
const seg = (key: string, tokens: number, bp?: '5m' | '1h'): PromptSegment =>
  bp === undefined ? { key, tokens } : { key, tokens, breakpoint: bp };

const usage = (input: number, creation: number, read: number, creation1h = 0): InputUsage => ({
  input_tokens: input,
  cache_creation_input_tokens: creation,
  cache_read_input_tokens: read,
  cache_creation: { ephemeral_5m_input_tokens: creation - creation1h, ephemeral_1h_input_tokens: creation1h },
});

const tools = seg('tools', 100, '5m');
const system = seg('system', 50, '5m');
const q1 = seg('user:q1', 7);
const a1 = seg('assistant:a1', 3, '5m');
const q2 = seg('user:q2', 9);

interface Call {
  at: number;
  segments: PromptSegment[];
  model?: string;
}

describe('PromptCache', () => {
  it.each<[string, Call[], InputUsage]>([
    ['pays plain input when nothing is marked', [{ at: 0, segments: [q1, q2] }], usage(16, 0, 0)],
    [
      'writes the prefix up to the last breakpoint on first sight',
      [{ at: 0, segments: [tools, system, q1] }],
      usage(7, 150, 0),
    ],
    [
      'reads the prefix seen before',
      [
        { at: 0, segments: [tools, system, q1] },
        { at: MINUTE, segments: [tools, system, q2] },
      ],
      usage(9, 0, 150),
    ],
    [
      'reads the longest cached prefix and writes the rest up to the last breakpoint',
      [
        { at: 0, segments: [tools, system, q1] },
        { at: MINUTE, segments: [tools, system, q1, a1, q2] },
      ],
      usage(9, 10, 150),
    ],
    [
      'falls back to a shorter cached prefix when the longer one changed',
      [
        { at: 0, segments: [tools, system, q1] },
        { at: MINUTE, segments: [tools, seg('system', 50), q1] },
      ],
      usage(57, 0, 100),
    ],
    [
      'reads what the previous turn wrote at its moving breakpoint (the 20-block lookback)',
      [
        { at: 0, segments: [tools, system, q1, a1] },
        {
          at: MINUTE,
          segments: [tools, system, q1, seg('assistant:a1', 3), q2, seg('assistant:a2', 4, '5m')],
        },
      ],
      usage(0, 13, 160),
    ],
    [
      'does not look back further than 20 blocks',
      [
        { at: 0, segments: [tools, system, q1, a1] },
        {
          at: MINUTE,
          segments: [
            tools,
            system,
            q1,
            seg('assistant:a1', 3),
            ...Array.from({ length: 20 }, (_, i) => seg(`user:r${i}`, 1)),
            seg('assistant:end', 2, '5m'),
          ],
        },
      ],
      usage(0, 32, 150),
    ],
    [
      'forgets a 5-minute entry after 5 minutes',
      [
        { at: 0, segments: [tools, system, q1] },
        { at: 5 * MINUTE, segments: [tools, system, q1] },
      ],
      usage(7, 150, 0),
    ],
    [
      'keeps an entry alive when it is read',
      [
        { at: 0, segments: [tools, system, q1] },
        { at: 4 * MINUTE, segments: [tools, system, q1] },
        { at: 8 * MINUTE, segments: [tools, system, q1] },
      ],
      usage(7, 0, 150),
    ],
    [
      'keeps a 1-hour entry past 5 minutes and reports its creation as 1h',
      [
        { at: 0, segments: [seg('tools', 100, '1h'), q1] },
        { at: 30 * MINUTE, segments: [seg('tools', 100, '1h'), q1] },
      ],
      usage(7, 0, 100),
    ],
    [
      'counts creation under the TTL of each breakpoint',
      [{ at: 0, segments: [seg('tools', 100, '1h'), system, q1] }],
      usage(7, 150, 0, 100),
    ],
    [
      'keeps caches of different models apart',
      [
        { at: 0, segments: [tools, system, q1], model: 'model-a' },
        { at: MINUTE, segments: [tools, system, q1], model: 'model-b' },
      ],
      usage(7, 150, 0),
    ],
  ])('%s', (_name, calls, expected) => {
    let now = 0;
    const cache = new PromptCache(() => now);
    let last: InputUsage | undefined;
    for (const call of calls) {
      now = call.at;
      last = cache.use(call.model ?? 'model-a', call.segments);
    }
    expect(last).toEqual(expected);
  });
});
