/**
 * `sandbox.network.allow`: which hosts a sandboxed command may reach through ipo's proxy. An entry is a host name
 * (`registry.npmjs.org`), a wildcard for a domain's subdomains (`*.pythonhosted.org`, not the domain itself), an
 * IPv4 address (`10.0.0.5`) or an IPv6 address in brackets (`[fd00::1]`), each with an optional `:port`.
 * Without a port an entry allows 80 and 443 only: a registry speaks HTTP(S), and a name that also runs SSH, SMTP
 * or a database must not open those to the command just because its web side was allowed.
 */

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
/** The last label starts with a letter, so an all-digit name (`2130706433`, `127.1`) is never a host name. */
const LAST_LABEL = '[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const HOST_NAME = `(?:\\*\\.)?(?:${LABEL}\\.)*${LAST_LABEL}`;
const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
/** Dotted-quad only: octal, hex and short forms are refused, so one address has one spelling. */
const IPV4 = `(?:${OCTET}\\.){3}${OCTET}`;
const H16 = '[0-9A-Fa-f]{1,4}';
const LS32 = `(?:${H16}:${H16}|${IPV4})`;
/** RFC 3986's IPv6address, alternative by alternative. */
const IPV6 = [
  `(?:${H16}:){6}${LS32}`,
  `::(?:${H16}:){5}${LS32}`,
  `(?:${H16})?::(?:${H16}:){4}${LS32}`,
  `(?:(?:${H16}:){0,1}${H16})?::(?:${H16}:){3}${LS32}`,
  `(?:(?:${H16}:){0,2}${H16})?::(?:${H16}:){2}${LS32}`,
  `(?:(?:${H16}:){0,3}${H16})?::${H16}:${LS32}`,
  `(?:(?:${H16}:){0,4}${H16})?::${LS32}`,
  `(?:(?:${H16}:){0,5}${H16})?::${H16}`,
  `(?:(?:${H16}:){0,6}${H16})?::`,
].join('|');
const PORT = '(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])';

/** One allowlist entry, as a regular expression (the config schema's, and so its JSON Schema's, `pattern`). */
export const ALLOW_ENTRY_PATTERN = new RegExp(`^(?:${HOST_NAME}|${IPV4}|\\[(?:${IPV6})\\])(?::${PORT})?$`);

/** Ports an entry without `:port` allows. */
export const DEFAULT_PORTS: readonly number[] = [80, 443];

export type AllowEntry =
  | { kind: 'host'; host: string; port?: number; text: string }
  | { kind: 'subdomains'; domain: string; port?: number; text: string }
  | { kind: 'address'; host: string; port?: number; text: string };

/**
 * What an entry that does not match `ALLOW_ENTRY_PATTERN` should have been, as the config error words it
 * (`sandbox.network.allow[0]: expected …, got "<the entry>"`): a URL gets its host name back, and so on.
 */
export function describeBadAllowEntry(entry: unknown): string {
  if (typeof entry !== 'string') return 'expected a host name such as `registry.npmjs.org`';
  const text = entry.trim();
  const url = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^/?#]*)/i.exec(text);
  if (url) return `expected the host name, \`${url[1]}\`, not a URL`;
  if (text.includes('@'))
    return `expected the host name alone, \`${text.slice(text.lastIndexOf('@') + 1)}\`, without a user`;
  if (text.includes('/'))
    return `expected the host name alone, \`${text.slice(0, text.indexOf('/'))}\`, without a path`;
  if (/\s/.test(text) || text === '') return 'expected one host per entry, without spaces';
  if (text.includes('*')) {
    return 'expected a wildcard only as `*.` before a domain (`*.pythonhosted.org` allows its subdomains)';
  }
  if (!text.startsWith('[') && (text.match(/:/g) ?? []).length > 1) {
    return `expected an IPv6 address in brackets, \`[${text}]\`, with any port after them (\`[::1]:8080\`)`;
  }
  const port = /:([^:\]]*)$/.exec(text)?.[1];
  if (port !== undefined && !new RegExp(`^${PORT}$`).test(port)) {
    return 'expected a port from 1 to 65535 after the host (`npm.example.com:8443`)';
  }
  if (/^[0-9.]+(?::[0-9]+)?$/.test(text) || /^0x/i.test(text)) {
    return 'expected an IPv4 address as four decimal numbers from 0 to 255 (`10.0.0.5`)';
  }
  return (
    'expected a host name (`registry.npmjs.org`), `*.` and a domain for its subdomains (`*.pythonhosted.org`), ' +
    'or an IP address (`10.0.0.5`, `[fd00::1]`), each optionally with `:port`'
  );
}

/** Parses an entry that matches `ALLOW_ENTRY_PATTERN` into a normal form (lower case, IPv6 in its shortest form). */
export function parseAllowEntry(text: string): AllowEntry {
  if (!ALLOW_ENTRY_PATTERN.test(text))
    throw new Error(`${JSON.stringify(text)}: ${describeBadAllowEntry(text)}`);
  const split = /^(.*?)(?::([0-9]+))?$/.exec(text);
  const rawHost = split?.[1] ?? text;
  const port = split?.[2] === undefined ? undefined : Number(split[2]);
  const withPort = port === undefined ? {} : { port };
  if (rawHost.startsWith('*.')) {
    return { kind: 'subdomains', domain: rawHost.slice(2).toLowerCase(), ...withPort, text };
  }
  const host = normalizeHost(rawHost);
  if (host === undefined) throw new Error(`${JSON.stringify(text)}: ${describeBadAllowEntry(text)}`);
  const kind = new RegExp(`^${IPV4}$`).test(host) || host.startsWith('[') ? 'address' : 'host';
  return { kind, host, ...withPort, text };
}

/**
 * A request's host in the form entries are compared in: lower case, no trailing dot, an IP address in its
 * canonical spelling (`[0:0::1]` → `[::1]`, `0x7f.1` → `127.0.0.1`, as the WHATWG URL parser and so every HTTP client
 * reads it). Undefined for something that is not a host.
 */
export function normalizeHost(host: string): string | undefined {
  if (host === '' || /[\s/?#@\\%]/.test(host)) return undefined;
  // A colon belongs to an IPv6 address in brackets only: `host:80` is a host and a port, not a host.
  if (host.includes(':') && !/^\[[^\]]*\]$/.test(host)) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(`http://${host}/`);
  } catch {
    return undefined;
  }
  if (parsed.port !== '' || parsed.username !== '' || parsed.password !== '') return undefined;
  return parsed.hostname.replace(/\.$/, '');
}

export type AllowDecision = { allowed: true; entry: AllowEntry } | { allowed: false; reason: string };

/** Whether `host` (normalized) on `port` is allowed, and by which entry; the reason names what would allow it. */
export function matchAllowlist(entries: readonly AllowEntry[], host: string, port: number): AllowDecision {
  const byHost = entries.filter((entry) => entryCoversHost(entry, host));
  const entry = byHost.find((candidate) => portsOf(candidate).includes(port));
  if (entry) return { allowed: true, entry };
  if (byHost.length > 0) {
    const ports = [...new Set(byHost.flatMap(portsOf))].join(', ');
    return { allowed: false, reason: `sandbox.network.allow allows ${host} on port ${ports} only` };
  }
  return { allowed: false, reason: 'not in sandbox.network.allow' };
}

function entryCoversHost(entry: AllowEntry, host: string): boolean {
  if (entry.kind === 'subdomains') return host.endsWith(`.${entry.domain}`);
  return entry.host === host;
}

function portsOf(entry: AllowEntry): readonly number[] {
  return entry.port === undefined ? DEFAULT_PORTS : [entry.port];
}
