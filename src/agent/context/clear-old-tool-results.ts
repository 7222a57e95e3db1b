import type { BetaMessageParam } from '@anthropic-ai/sdk/resources/beta/messages/messages';
import { applyClearings, type Clearing, type ClearPolicy, chooseClearings } from './clear-policy.ts';

/**
 * Replaces old tool results in `messages` (in place: it is the run's conversation) by stubs when the policy says
 * so, adds their ids to `cleared`, and returns what was cleared for the transcript.
 */
export function clearOldToolResults(
  messages: BetaMessageParam[],
  policy: ClearPolicy,
  cleared: Set<string>,
  submitName: string,
): Clearing[] {
  const clearings = chooseClearings(messages, policy, { cleared, protectedTools: new Set([submitName]) });
  if (clearings.length === 0) return [];
  messages.splice(0, messages.length, ...applyClearings(messages, clearings));
  for (const c of clearings) cleared.add(c.toolUseId);
  return clearings;
}
