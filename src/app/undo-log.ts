/**
 * What a command changed on GitHub before it failed, so it can be put back: a claim that stays after a failed
 * dispatch would silently swallow every later attempt at the same phrase. Steps run newest first, each on its own:
 * one failing does not stop the others, and the failures are returned so the reply can name what is left.
 */
export class UndoLog {
  private readonly steps: { what: string; run: () => Promise<unknown> }[] = [];

  /** Records how to put back one change; `what` names it for the reply when putting it back fails too. */
  add(what: string, run: () => Promise<unknown>): void {
    this.steps.push({ what, run });
  }

  /** Puts everything back, newest first: how many changes there were, and what could not be put back. */
  async undo(): Promise<{ changes: number; left: string[] }> {
    const steps = this.steps.splice(0).reverse();
    const left: string[] = [];
    for (const step of steps) {
      try {
        await step.run();
      } catch {
        left.push(step.what);
      }
    }
    return { changes: steps.length, left };
  }
}
