import { BlockList, isIP } from 'node:net';

/**
 * Address ranges a name on the allowlist must not lead to, unless the list names the address itself: the host's
 * loopback services, link-local (169.254.169.254 and fd00:ec2::254 are cloud metadata services, which hand out
 * the machine's credentials), the private networks around the runner, and addresses that are not one host.
 * From IANA's special-purpose registries (https://www.iana.org/assignments/iana-ipv4-special-registry/,
 * https://www.iana.org/assignments/iana-ipv6-special-registry/). node's BlockList also matches an IPv4-mapped IPv6
 * address (`::ffff:127.0.0.1`) against the IPv4 ranges.
 */
const RANGES: ReadonlyArray<readonly [string, number, 'ipv4' | 'ipv6', string]> = [
  ['0.0.0.0', 8, 'ipv4', 'this-network'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'shared (carrier-grade NAT)'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'IETF protocol assignments'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['198.18.0.0', 15, 'ipv4', 'benchmarking'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  // Azure's WireServer, on every Azure VM (GitHub's hosted runners are Azure VMs): a metadata endpoint on a
  // public address.
  ['168.63.129.16', 32, 'ipv4', 'Azure WireServer (cloud metadata)'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['::', 96, 'ipv6', 'IPv4-compatible'],
  ['64:ff9b::', 96, 'ipv6', 'NAT64'],
  ['64:ff9b:1::', 48, 'ipv6', 'NAT64 (local use)'],
  ['fc00::', 7, 'ipv6', 'private (unique local)'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];

const lists = RANGES.map(([network, prefix, family, name]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { list, name };
});

/**
 * The special range `address` (an IP address as DNS returns it) is in, like `loopback` or `link-local (cloud
 * metadata)`; undefined for an ordinary public address. Something that is not an address counts as special.
 */
export function specialRange(address: string): string | undefined {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  return lists.find(({ list }) => list.check(address, type))?.name;
}
