import { type MessagesRequest, messageBlocks } from './messages-request.ts';
import type { TurnExpectation } from './script-schema.ts';

interface ToolResultSeen {
  toolUseId: string;
  toolName: string | undefined;
  isError: boolean;
}

/**
 * Every way the request differs from the turn's `expect`, as sentences; empty when it matches.
 * `json` is `JSON.stringify` of the body as received (the parsed request may reorder keys).
 */
export function checkExpectation(expect: TurnExpectation, request: MessagesRequest, json: string): string[] {
  const problems: string[] = [];
  for (const text of expect.contains ?? []) {
    if (!json.includes(text)) problems.push(`expected the request to contain ${JSON.stringify(text)}`);
  }
  for (const text of expect.notContains ?? []) {
    if (json.includes(text)) problems.push(`expected the request not to contain ${JSON.stringify(text)}`);
  }
  if (expect.lastToolResultFor !== undefined || expect.lastToolResultIsError !== undefined) {
    problems.push(...checkLastToolResult(expect, lastToolResult(request)));
  }
  return problems;
}

function checkLastToolResult(expect: TurnExpectation, seen: ToolResultSeen | undefined): string[] {
  if (seen === undefined) return ['expected a tool result, but the request holds none'];
  const problems: string[] = [];
  const wanted = expect.lastToolResultFor;
  if (wanted !== undefined && wanted !== seen.toolUseId && wanted !== seen.toolName) {
    problems.push(
      `expected the last tool result to be for ${JSON.stringify(wanted)}, got one for ${describe(seen)}`,
    );
  }
  if (expect.lastToolResultIsError !== undefined && expect.lastToolResultIsError !== seen.isError) {
    problems.push(
      `expected the last tool result (${describe(seen)}) to have is_error: ${expect.lastToolResultIsError}, got ${seen.isError}`,
    );
  }
  return problems;
}

function describe(seen: ToolResultSeen): string {
  return seen.toolName === undefined ? `"${seen.toolUseId}"` : `"${seen.toolUseId}" (${seen.toolName})`;
}

/** The last tool_result block of the request, with the name of the tool_use it answers. */
function lastToolResult(request: MessagesRequest): ToolResultSeen | undefined {
  const toolNamesById = new Map<string, string>();
  let last: ToolResultSeen | undefined;
  for (const message of request.messages) {
    for (const block of messageBlocks(message)) {
      if (block.type === 'tool_use' && typeof block.id === 'string' && typeof block.name === 'string') {
        toolNamesById.set(block.id, block.name);
      }
      if (block.type === 'tool_result') {
        const toolUseId = String(block.tool_use_id);
        last = { toolUseId, toolName: toolNamesById.get(toolUseId), isError: block.is_error === true };
      }
    }
  }
  return last;
}
