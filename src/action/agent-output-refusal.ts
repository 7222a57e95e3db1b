/** The write job will not act on the agent job's output: it fails schema, digest, scope or the approved commits. */
export class AgentOutputRefusal extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'AgentOutputRefusal';
  }
}
