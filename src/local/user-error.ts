/** A problem the person can fix; the CLI prints its message on one line and exits non-zero, nothing changed. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    /** Lines shown under the one-line error, indented: detail for a person (scripts read the first line). */
    readonly hints: readonly string[] = [],
  ) {
    super(message);
    this.name = 'UserError';
  }
}
