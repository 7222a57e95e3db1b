import { execFile } from 'node:child_process';
import { bwrapArgs } from './bwrap-args.ts';
import { systemMounts } from './system-mounts.ts';

export type ProbeResult = { ok: true } | { ok: false; reason: string };

/** Where ipo looks for bubblewrap unless `IPO_BWRAP_PATH` names another path (tests point it at a missing file). */
export const DEFAULT_BWRAP_PATH = '/usr/bin/bwrap';

/** What to do when user namespaces are blocked; Ubuntu 23.10+ (and GitHub's ubuntu-24.04) restrict them via AppArmor. */
const USERNS_FIX =
  'unprivileged user namespaces are blocked here. On Ubuntu 23.10+ / GitHub ubuntu-24.04 runners, install an ' +
  'AppArmor profile for /usr/bin/bwrap that grants `userns` (/etc/apparmor.d/bwrap: ' +
  '`abi <abi/4.0>, include <tunables/global> profile bwrap /usr/bin/bwrap flags=(unconfined) { userns, }`, then ' +
  '`apparmor_parser -r /etc/apparmor.d/bwrap`); elsewhere check `sysctl kernel.unprivileged_userns_clone` and ' +
  '`user.max_user_namespaces`';

const cache = new Map<string, Promise<ProbeResult>>();

/**
 * Whether bwrap at `bwrapPath` can build the sandbox ipo uses, found by running `true` in it once per path (cached
 * for the process: a phase runs many commands). The reason quotes bwrap's own stderr and names the fix.
 */
export function probeBwrap(bwrapPath: string): Promise<ProbeResult> {
  let probe = cache.get(bwrapPath);
  if (!probe) {
    probe = runProbe(bwrapPath);
    cache.set(bwrapPath, probe);
  }
  return probe;
}

function runProbe(bwrapPath: string): Promise<ProbeResult> {
  const args = bwrapArgs(
    { system: systemMounts(), readOnly: [] },
    { file: 'true', args: [], cwd: '/', env: { PATH: '/usr/bin:/bin' } },
  );
  return new Promise((resolve) => {
    execFile(bwrapPath, args, { env: {}, timeout: 10_000 }, (error, _stdout, stderr) => {
      if (!error) return resolve({ ok: true });
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        return resolve({
          ok: false,
          reason: `bubblewrap is not installed at ${bwrapPath} (install it: \`apt-get install bubblewrap\`, \`dnf install bubblewrap\`; or set IPO_BWRAP_PATH to where it is)`,
        });
      }
      const said = stderr.trim() || error.message;
      const hint = /namespace|uid map|permission denied|operation not permitted/i.test(said)
        ? `: ${USERNS_FIX}`
        : '';
      resolve({
        ok: false,
        reason: `bubblewrap at ${bwrapPath} cannot create its sandbox (bwrap said: ${said})${hint}`,
      });
    });
  });
}
