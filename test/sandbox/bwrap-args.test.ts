import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bwrapArgs } from '../../src/sandbox/bwrap-args.ts';
import { probeBwrap } from '../../src/sandbox/probe-bwrap.ts';
import { systemMounts } from '../../src/sandbox/system-mounts.ts';

const command = {
  file: '/bin/sh',
  args: ['-c', 'true'],
  cwd: '/w/s',
  env: { PATH: '/usr/bin', HOME: '/root' },
};

describe('bwrapArgs', () => {
  const args = bwrapArgs({ system: systemMounts(), workspace: '/w/s', readOnly: ['/w/s/.git'] }, command);

  it('mounts no host root, home or temp: only system dirs, the workspace and its git dirs', () => {
    const sources = args.flatMap((arg, i) => (arg === '--ro-bind' || arg === '--bind' ? [args[i + 1]] : []));
    expect(sources).not.toContain('/');
    expect(sources).toContain('/usr');
    expect(sources).not.toContain(os.homedir());
    expect(sources).not.toContain(os.tmpdir());
    expect(args.join(' ')).toContain('--bind /w/s /w/s --ro-bind /w/s/.git /w/s/.git');
  });

  it('mounts the workspace after the empty /tmp and /home, so a workspace under them stays visible', () => {
    expect(args.indexOf('--bind')).toBeGreaterThan(args.lastIndexOf('--tmpfs'));
  });

  it('isolates every namespace, clears the environment and points HOME and TMPDIR inside', () => {
    expect(args.slice(0, 4)).toEqual(['--unshare-all', '--die-with-parent', '--new-session', '--clearenv']);
    expect(args.join(' ')).toContain('--setenv HOME /home/sandbox');
    expect(args.join(' ')).toContain('--setenv TMPDIR /tmp');
    expect(args.join(' ')).not.toContain('/root');
    expect(args.slice(-6)).toEqual(['--chdir', '/w/s', '--', '/bin/sh', '-c', 'true']);
  });
});

describe('probeBwrap', () => {
  it('names the AppArmor fix when bwrap cannot set up its user namespace, quoting bwrap', async () => {
    // A stand-in that fails the way bwrap does on ubuntu-24.04 runners (AppArmor restricts user namespaces).
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ipo-fake-bwrap-'));
    const fake = path.join(dir, 'bwrap');
    await writeFile(fake, '#!/bin/sh\necho "bwrap: setting up uid map: Permission denied" >&2\nexit 1\n');
    await chmod(fake, 0o755);
    try {
      const probe = await probeBwrap(fake);
      expect(probe.ok).toBe(false);
      const reason = probe.ok ? '' : probe.reason;
      expect(reason).toContain('bwrap said: bwrap: setting up uid map: Permission denied');
      expect(reason).toContain('AppArmor profile for /usr/bin/bwrap that grants `userns`');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('passes on this machine, where the real bubblewrap runs', async () => {
    expect(await probeBwrap('/usr/bin/bwrap')).toEqual({ ok: true });
  });
});
