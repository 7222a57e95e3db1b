import { describe, expect, it } from 'vitest';
import {
  ALLOW_ENTRY_PATTERN,
  describeBadAllowEntry,
  matchAllowlist,
  normalizeHost,
  parseAllowEntry,
} from '../../../src/core/network/allow-entry.ts';

const list = (...entries: string[]) => entries.map(parseAllowEntry);

describe('matchAllowlist', () => {
  it.each([
    ['registry.npmjs.org', 'registry.npmjs.org', 443, true],
    ['registry.npmjs.org', 'registry.npmjs.org', 80, true],
    ['registry.npmjs.org', 'registry.npmjs.org', 22, false],
    ['registry.npmjs.org', 'evil.registry.npmjs.org', 443, false],
    ['registry.npmjs.org', 'registry.npmjs.org.evil.example', 443, false],
    ['Registry.NPMjs.org', 'registry.npmjs.org', 443, true],
    ['*.pythonhosted.org', 'files.pythonhosted.org', 443, true],
    ['*.pythonhosted.org', 'a.b.pythonhosted.org', 443, true],
    ['*.pythonhosted.org', 'pythonhosted.org', 443, false],
    ['*.pythonhosted.org', 'evilpythonhosted.org', 443, false],
    ['npm.example.com:8443', 'npm.example.com', 8443, true],
    ['npm.example.com:8443', 'npm.example.com', 443, false],
    ['10.0.0.5', '10.0.0.5', 443, true],
    ['10.0.0.5:8080', '10.0.0.5', 8080, true],
    ['10.0.0.5', '10.0.0.6', 443, false],
    ['[fd00::1]:8080', '[fd00::1]', 8080, true],
    ['[FD00:0::1]', '[fd00::1]', 443, true],
  ])('entry %s, request %s:%i → allowed %s', (entry, host, port, allowed) => {
    expect(matchAllowlist(list(entry), host, port).allowed).toBe(allowed);
  });

  it.each([
    [['registry.npmjs.org'], 'evil.example', 443, 'not in sandbox.network.allow'],
    [
      ['registry.npmjs.org'],
      'registry.npmjs.org',
      22,
      'sandbox.network.allow allows registry.npmjs.org on port 80, 443 only',
    ],
    [['h.example:8080', 'h.example:9090'], 'h.example', 22, 'on port 8080, 9090 only'],
  ])('with %j, %s:%i is refused: %s', (entries, host, port, reason) => {
    const decision = matchAllowlist(list(...entries), host, port);
    expect(decision).toEqual({ allowed: false, reason: expect.stringContaining(reason) });
  });
});

describe('normalizeHost', () => {
  it.each([
    ['Example.COM.', 'example.com'],
    ['[0:0::1]', '[::1]'],
    ['0x7f.1', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
    ['a/b', undefined],
    ['user@host', undefined],
    ['host:80', undefined],
    ['', undefined],
  ])('%j → %j', (host, normal) => {
    expect(normalizeHost(host)).toBe(normal);
  });
});

describe('allowlist entries', () => {
  it.each([
    'registry.npmjs.org',
    '*.pythonhosted.org',
    'npm.example.com:8443',
    '10.0.0.5',
    '127.0.0.1:65535',
    '[::1]',
    '[fd00::1]:8080',
    'localhost',
  ])('accepts %s', (entry) => {
    expect(ALLOW_ENTRY_PATTERN.test(entry)).toBe(true);
    expect(parseAllowEntry(entry).text).toBe(entry);
  });

  it.each([
    ['https://registry.npmjs.org/', 'expected the host name, `registry.npmjs.org`, not a URL'],
    ['git@github.com', 'expected the host name alone, `github.com`, without a user'],
    ['registry.npmjs.org/some/path', 'without a path'],
    ['*.', 'expected a wildcard only as `*.` before a domain'],
    ['a.*.example.com', 'expected a wildcard only as `*.` before a domain'],
    ['*', 'expected a wildcard only as `*.` before a domain'],
    ['::1', 'expected an IPv6 address in brackets, `[::1]`'],
    ['host.example:0', 'expected a port from 1 to 65535'],
    ['host.example:99999', 'expected a port from 1 to 65535'],
    ['host.example:https', 'expected a port from 1 to 65535'],
    ['127.1', 'expected an IPv4 address as four decimal numbers'],
    ['2130706433', 'expected an IPv4 address as four decimal numbers'],
    ['0x7f.0.0.1', 'expected an IPv4 address as four decimal numbers'],
    ['two hosts.example', 'without spaces'],
    ['', 'without spaces'],
    ['-bad-.example', 'expected a host name (`registry.npmjs.org`)'],
  ])('refuses %j: %s', (entry, message) => {
    expect(ALLOW_ENTRY_PATTERN.test(entry)).toBe(false);
    expect(describeBadAllowEntry(entry)).toContain(message);
    expect(() => parseAllowEntry(entry)).toThrow(message);
  });
});
