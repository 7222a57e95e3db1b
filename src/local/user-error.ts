/** A problem the person can fix; the CLI prints its message on one line and exits non-zero, nothing changed. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
