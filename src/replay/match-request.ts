import { checkExpectation } from './check-expectation.ts';
import { type MessagesRequest, systemText, toolNames } from './messages-request.ts';
import type { Conversation, ConversationWhen, ReplayScript, ScriptTurn } from './script-schema.ts';

export interface TurnMatch {
  ok: true;
  conversationIndex: number;
  turnIndex: number;
  conversation: Conversation;
  turn: ScriptTurn;
}
export type MatchResult = TurnMatch | { ok: false; message: string };

/**
 * Picks the scripted turn that answers `request`: the first unfinished conversation whose `when` holds,
 * at the turn numbered by the request's assistant messages, provided the turn's `expect` holds.
 * `json` is the body's JSON text, for `contains` / `notContains`.
 */
export function matchRequest(
  script: ReplayScript,
  finished: ReadonlySet<number>,
  request: MessagesRequest,
  json: string,
): MatchResult {
  const conversationIndex = script.conversations.findIndex(
    (conversation, index) => !finished.has(index) && whenMismatch(conversation.when, request) === undefined,
  );
  const conversation = script.conversations[conversationIndex];
  if (conversation === undefined)
    return { ok: false, message: noConversationMessage(script, finished, request) };

  const turnIndex = request.messages.filter((message) => message.role === 'assistant').length;
  const prefix = `replay: conversation "${conversation.name}" turn ${turnIndex}`;
  const turn = conversation.turns[turnIndex];
  if (turn === undefined) {
    const count = conversation.turns.length;
    return {
      ok: false,
      message: `${prefix}: the request carries ${plural(turnIndex, 'assistant message')} but the script has only ${plural(count, 'turn')} (0-${count - 1})`,
    };
  }
  const problems = turn.expect === undefined ? [] : checkExpectation(turn.expect, request, json);
  if (problems.length > 0) return { ok: false, message: `${prefix}: ${problems.join('; ')}` };
  return { ok: true, conversationIndex, turnIndex, conversation, turn };
}

/** Why a conversation's `when` rejects the request, or undefined when it accepts it. */
function whenMismatch(when: ConversationWhen | undefined, request: MessagesRequest): string | undefined {
  if (when === undefined) return undefined;
  if (when.systemIncludes !== undefined && !systemText(request).includes(when.systemIncludes)) {
    return `needs the system prompt to include ${JSON.stringify(when.systemIncludes)}`;
  }
  const offered = new Set(toolNames(request));
  const missing = (when.toolNames ?? []).filter((name) => !offered.has(name));
  if (missing.length > 0) return `needs tool${missing.length === 1 ? '' : 's'} ${missing.join(', ')}`;
  return undefined;
}

function noConversationMessage(
  script: ReplayScript,
  finished: ReadonlySet<number>,
  request: MessagesRequest,
): string {
  const reasons = script.conversations.map((conversation, index) => {
    const why = finished.has(index) ? 'is finished' : whenMismatch(conversation.when, request);
    return `"${conversation.name}" ${why}`;
  });
  const system = systemText(request);
  const systemStart = system.length > 60 ? `${system.slice(0, 60)}…` : system;
  const tools = toolNames(request);
  return (
    `replay: no conversation matches this request (system prompt ${JSON.stringify(systemStart)}, ` +
    `tools: ${tools.length === 0 ? 'none' : tools.join(', ')}): ${reasons.join('; ')}`
  );
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
