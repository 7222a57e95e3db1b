import type { Sandbox } from './sandbox.ts';

/** How a connection refused by the sandbox's missing network shows in curl, node, npm, git and pip output. */
const NETWORK_FAILURE =
  /ENETUNREACH|EAI_AGAIN|ENOTFOUND|Network is unreachable|Could not resolve host|Temporary failure in name resolution|getaddrinfo/i;

/**
 * A line for the tool result when the output shows a network attempt the sandbox blocked, so the model (and the
 * transcript) learn that it was the sandbox, not a flaky network, and stop retrying.
 */
export function networkBlockedNote(output: string): string | undefined {
  if (!NETWORK_FAILURE.test(output)) return undefined;
  return '[ipo sandbox: blocked a network connection: commands run with the network off (no host is allowed)]';
}

/** The unsandboxed warning and a blocked-network note, as lines to append after a command's output. */
export function sandboxNotes(sandbox: Sandbox, output: string): string {
  const notes = [sandbox.warning && `[${sandbox.warning}]`, networkBlockedNote(output)].filter(Boolean);
  return notes.map((note) => `\n${note}`).join('');
}
