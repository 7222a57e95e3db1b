/** The branch that holds a session's changes: `ipo/<session>`. */
export function sessionBranch(session: string): string {
  return `ipo/${session}`;
}
