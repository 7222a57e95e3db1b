import type { Fault, ReplayScript } from './script-schema.ts';

/** Which scripted turns have been served and which faults consumed; shared by every client of one server. */
export class ReplayProgress {
  readonly #script: ReplayScript;
  readonly #served = new Set<string>();
  readonly #faultsUsed = new Map<string, number>();
  /** Conversations whose last turn was served: later requests go to the next matching conversation. */
  readonly finished = new Set<number>();

  constructor(script: ReplayScript) {
    this.#script = script;
  }

  /** Takes the turn's next unconsumed fault, if any; consumed synchronously so concurrent retries each get one. */
  takeFault(conversationIndex: number, turnIndex: number): Fault | undefined {
    const key = turnKey(conversationIndex, turnIndex);
    const used = this.#faultsUsed.get(key) ?? 0;
    const fault = this.#script.conversations[conversationIndex]?.turns[turnIndex]?.faults?.[used];
    if (fault !== undefined) this.#faultsUsed.set(key, used + 1);
    return fault;
  }

  /** Records that the turn's response went out; the conversation finishes with its last turn. */
  markServed(conversationIndex: number, turnIndex: number): void {
    this.#served.add(turnKey(conversationIndex, turnIndex));
    const turns = this.#script.conversations[conversationIndex]?.turns.length ?? 0;
    if (turnIndex === turns - 1) this.finished.add(conversationIndex);
  }

  /** Turns whose response has not been served, as `conversation "name" turn N`. */
  remaining(): string[] {
    return this.#script.conversations.flatMap((conversation, conversationIndex) =>
      conversation.turns
        .map((_, turnIndex) => turnIndex)
        .filter((turnIndex) => !this.#served.has(turnKey(conversationIndex, turnIndex)))
        .map((turnIndex) => `conversation "${conversation.name}" turn ${turnIndex}`),
    );
  }
}

function turnKey(conversationIndex: number, turnIndex: number): string {
  return `${conversationIndex}/${turnIndex}`;
}
