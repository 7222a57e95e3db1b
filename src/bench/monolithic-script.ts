import type { Conversation, ReplayScript } from '../replay/script-schema.ts';

/** The submit tool of each phase in the monolithic conversation, where one name cannot serve three schemas. */
export function monolithicSubmitName(phase: string): string {
  return `submit_${phase}`;
}

/**
 * The demo's per-phase conversations as one conversation: same responses in the same order, each phase's
 * `submit_result` renamed, and the isolation expectations dropped (a monolithic prompt carries everything).
 */
export function monolithicScript(conversations: readonly Conversation[]): ReplayScript {
  const turns = conversations.flatMap((conversation) =>
    conversation.turns.map((turn) => ({
      response: {
        ...turn.response,
        content: turn.response.content.map((block) =>
          block.type === 'tool_use' && block.name === 'submit_result'
            ? { ...block, name: monolithicSubmitName(conversation.name) }
            : block,
        ),
      },
    })),
  );
  return { version: 1, conversations: [{ name: 'monolithic', turns }] };
}
