import type { AgentEvent } from '../../agent/agent-types.ts';
import type { Phase } from '../../core/phases.ts';
import { formatTokens, terminalSafe } from '../../report/format.ts';

export interface ProgressPrinterOptions {
  /** Where output goes (e.g. `(s) => process.stderr.write(s)`); tests collect it. */
  write: (text: string) => void;
  /** On a terminal one status line is rewritten in place; elsewhere (CI logs, pipes) plain lines are appended. */
  isTTY: boolean;
  phase: Phase;
}

/** Pass it as the agent's `onEvent`; call `done()` when the run ends. Events after `done()` are ignored. */
export type ProgressPrinter = ((event: AgentEvent) => void) & { done: () => void };

// Carriage return, then erase the whole line: the next status overwrites the last whatever their lengths.
const REWRITE = '\r\x1b[2K';

/** A progress display of one agent run: turn, tool being run, tokens so far. */
export function createProgressPrinter({ write, isTTY, phase }: ProgressPrinterOptions): ProgressPrinter {
  let turn = 0;
  let activity: string | undefined;
  let inputTokens = 0;
  let outputTokens = 0;
  let showing = false;
  let finished = false;

  const tokens = () => `${formatTokens(inputTokens)} in / ${formatTokens(outputTokens)} out`;

  const onEvent = (event: AgentEvent): void => {
    if (finished) return;
    switch (event.type) {
      case 'turn':
        turn = event.turn;
        activity = 'waiting for the model';
        break;
      case 'response':
        turn = event.turn;
        inputTokens += event.inputTokens;
        outputTokens += event.outputTokens;
        activity = undefined;
        break;
      case 'tool':
        turn = event.turn;
        activity = `${terminalSafe(event.name)}${event.isError ? ' (error)' : ''}`;
        break;
      case 'retry':
        turn = event.turn;
        activity = `model API overloaded (${event.status}), retry ${event.attempt} in ${Math.round(event.waitMs / 1000)} s`;
        break;
      case 'truncated':
        turn = event.turn;
        activity = `answer cut off at ${event.maxTokens} tokens, asking again with ${event.nextMaxTokens}`;
        break;
      case 'context-cleared':
        turn = event.turn;
        activity = `cleared ${event.results} old tool result${event.results === 1 ? '' : 's'} (${formatTokens(event.tokens)} tokens)`;
        break;
      default:
        // A new event type breaks the build here; at run time, progress output must never break the agent.
        ignore(event);
        return;
    }
    if (isTTY) {
      write(`${REWRITE}${[phase, `turn ${turn}`, activity, tokens()].filter(Boolean).join(' · ')}`);
      showing = true;
      return;
    }
    // A log gets what happened, not what is in progress: the model's answer (with the running total) and each tool.
    if (event.type === 'response') write(`${phase}: turn ${turn}: ${tokens()} so far\n`);
    if (event.type !== 'turn' && event.type !== 'response') write(`${phase}: turn ${turn}: ${activity}\n`);
  };

  return Object.assign(onEvent, {
    done: (): void => {
      // End the status line so what is printed next starts on a line of its own, leaving the last status visible.
      if (showing && !finished) write('\n');
      finished = true;
    },
  });
}

function ignore(_event: never): void {}
