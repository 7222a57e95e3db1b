import type { NetworkReport } from './network/network-proxy.ts';
import type { Sandbox } from './sandbox.ts';

/** How a connection refused by the sandbox's missing network shows in curl, node, npm, git and pip output. */
const NETWORK_FAILURE =
  /ENETUNREACH|EAI_AGAIN|ENOTFOUND|Network is unreachable|Could not resolve host|Temporary failure in name resolution|getaddrinfo/i;

/**
 * A line for the tool result when the output shows a network attempt the sandbox blocked, so the model (and the
 * transcript) learn that it was the sandbox, not a flaky network, and stop retrying.
 */
export function networkBlockedNote(output: string, allow: readonly string[] = []): string | undefined {
  if (!NETWORK_FAILURE.test(output)) return undefined;
  if (allow.length === 0) {
    return '[ipo sandbox: blocked a network connection: commands run with the network off (no host is allowed)]';
  }
  return (
    '[ipo sandbox: blocked a direct network connection: the network is reachable only through the proxy in ' +
    `HTTPS_PROXY/HTTP_PROXY, and only for ${allow.join(', ')} (sandbox.network.allow)]`
  );
}

/** One line per connection the proxy refused during the command, then a count of those not itemised. */
export function refusedConnectionNotes(report: NetworkReport | undefined): string[] {
  if (!report) return [];
  const lines = report.refused.map((refusal) => {
    const target = refusal.port === undefined ? refusal.host : `${refusal.host}:${refusal.port}`;
    const times = refusal.times > 1 ? ` (${refusal.times} times)` : '';
    return `[ipo sandbox: refused a connection to ${target}${times}: ${refusal.reason}]`;
  });
  if (report.moreRefused > 0) lines.push(`[ipo sandbox: refused ${report.moreRefused} more connections]`);
  return lines;
}

/**
 * The unsandboxed warning, the connections the proxy refused and a blocked-network note, as lines to append after
 * a command's output (the model's tool result, the transcript, a check's outputTail).
 */
export function sandboxNotes(sandbox: Sandbox, result: { output: string; network?: NetworkReport }): string {
  const notes = [
    sandbox.warning && `[${sandbox.warning}]`,
    ...refusedConnectionNotes(result.network),
    networkBlockedNote(result.output, sandbox.networkAllow),
  ].filter(Boolean);
  return notes.map((note) => `\n${note}`).join('');
}
