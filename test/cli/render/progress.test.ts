import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../src/agent/agent-types.ts';
import { createProgressPrinter } from '../../../src/cli/render/progress.ts';

const EVENTS: AgentEvent[] = [
  { type: 'turn', turn: 1 },
  { type: 'response', turn: 1, inputTokens: 8_000, outputTokens: 600, stopReason: 'tool_use' },
  { type: 'tool', turn: 1, name: 'read_file', isError: false },
  { type: 'turn', turn: 2 },
  { type: 'response', turn: 2, inputTokens: 4_300, outputTokens: 500, stopReason: 'tool_use' },
  { type: 'tool', turn: 2, name: 'run_command', isError: true },
];

function run(isTTY: boolean, events: AgentEvent[] = EVENTS): string[] {
  const out: string[] = [];
  const printer = createProgressPrinter({ write: (s) => out.push(s), isTTY, phase: 'implementation' });
  for (const event of events) printer(event);
  printer.done();
  return out;
}

describe('createProgressPrinter', () => {
  it('on a terminal rewrites one status line per event with phase, turn, activity and tokens so far', () => {
    expect(run(true)).toEqual([
      '\r\x1b[2Kimplementation · turn 1 · waiting for the model · 0 in / 0 out',
      '\r\x1b[2Kimplementation · turn 1 · 8.0k in / 600 out',
      '\r\x1b[2Kimplementation · turn 1 · read_file · 8.0k in / 600 out',
      '\r\x1b[2Kimplementation · turn 2 · waiting for the model · 8.0k in / 600 out',
      '\r\x1b[2Kimplementation · turn 2 · 12.3k in / 1.1k out',
      '\r\x1b[2Kimplementation · turn 2 · run_command (error) · 12.3k in / 1.1k out',
      '\n',
    ]);
  });

  it('elsewhere prints plain lines for answers and tools, with no escape codes', () => {
    const out = run(false);
    expect(out).toEqual([
      'implementation: turn 1: 8.0k in / 600 out so far\n',
      'implementation: turn 1: read_file\n',
      'implementation: turn 2: 12.3k in / 1.1k out so far\n',
      'implementation: turn 2: run_command (error)\n',
    ]);
    expect(out.join('')).not.toContain('\x1b');
    expect(out.join('')).not.toContain('\r');
  });

  it('ends the status line once, and prints nothing for a run that reported nothing', () => {
    expect(run(true, [])).toEqual([]);
    const out: string[] = [];
    const printer = createProgressPrinter({ write: (s) => out.push(s), isTTY: true, phase: 'alignment' });
    printer({ type: 'turn', turn: 1 });
    printer.done();
    printer.done();
    printer({ type: 'turn', turn: 2 });
    expect(out).toEqual(['\r\x1b[2Kalignment · turn 1 · waiting for the model · 0 in / 0 out', '\n']);
  });

  it('strips escape codes from a tool name before printing it', () => {
    const out = run(false, [{ type: 'tool', turn: 3, name: 'evil\x1b[2J', isError: false }]);
    expect(out).toEqual(['implementation: turn 3: evil\n']);
  });

  it('in a log, says how long it waits on an overloaded API, when an answer was cut off at max_tokens and when old tool results were cleared', () => {
    const out = run(false, [
      { type: 'retry', turn: 2, status: 529, attempt: 1, waitMs: 11_250 },
      { type: 'truncated', turn: 3, maxTokens: 8000, nextMaxTokens: 16_000 },
      { type: 'context-cleared', turn: 9, results: 4, tokens: 21_400 },
    ]);
    expect(out).toEqual([
      'implementation: turn 2: model API overloaded (529), retry 1 in 11 s\n',
      'implementation: turn 3: answer cut off at 8000 tokens, asking again with 16000\n',
      'implementation: turn 9: cleared 4 old tool results (21.4k tokens)\n',
    ]);
  });
});
