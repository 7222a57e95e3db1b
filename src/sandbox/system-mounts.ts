import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';

/** One filesystem entry of the sandbox: a read-only bind of a host directory, or a symlink (merged /usr). */
export type SystemMount =
  | { kind: 'ro-bind'; path: string }
  | { kind: 'symlink'; path: string; target: string };

/**
 * What programs need to start: the system directories, read-only. `/etc` carries the loader config, certificates
 * and passwd; nothing else of the host (home, /tmp, /var, /opt, the runner's temp and state dirs) is mounted.
 */
const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc'];

/**
 * The system mounts on this host, plus the install prefix of the running node when it lives elsewhere (nvm in a
 * home directory, `/opt/hostedtoolcache` on GitHub runners): `npm` and `node` must work inside.
 */
export function systemMounts(nodeExecPath: string = process.execPath): SystemMount[] {
  const mounts: SystemMount[] = [];
  for (const dir of SYSTEM_DIRS) {
    const stat = lstatOrNull(dir);
    if (!stat) continue;
    if (stat.isSymbolicLink()) mounts.push({ kind: 'symlink', path: dir, target: readlinkSync(dir) });
    else if (stat.isDirectory()) mounts.push({ kind: 'ro-bind', path: dir });
  }
  // <prefix>/bin/node → <prefix>: npm sits in <prefix>/lib/node_modules.
  const prefix = path.dirname(path.dirname(realpathSync(nodeExecPath)));
  const covered = mounts.some((m) => m.kind === 'ro-bind' && isUnder(m.path, prefix));
  if (!covered && prefix !== '/') mounts.push({ kind: 'ro-bind', path: prefix });
  return mounts;
}

function isUnder(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function lstatOrNull(p: string) {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
}
